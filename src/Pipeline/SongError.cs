namespace MusicClassification;

/// <summary>Why one song failed: a stable <paramref name="Code"/> for programs and a <paramref name="Message"/> for people.</summary>
/// <param name="Code">The stable error code; serialized as its wire name (<c>corrupt_audio</c>, …).</param>
/// <param name="Message">A human-readable explanation, such as which header field was invalid.</param>
public sealed record SongError(SongErrorCode Code, string Message);
