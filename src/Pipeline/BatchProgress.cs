namespace MusicClassification;

/// <summary>Progress of one batch call, reported after each result.</summary>
/// <param name="Submitted">Songs taken from the caller's sequence so far.</param>
/// <param name="Completed">Results delivered so far (succeeded plus failed).</param>
/// <param name="Failed">Results delivered so far that are failures.</param>
/// <param name="SubmissionComplete">Whether the caller's sequence has ended, so <paramref name="Submitted"/> is final.</param>
public readonly record struct BatchProgress(int Submitted, int Completed, int Failed, bool SubmissionComplete);
