namespace MusicClassification.Classification;

/// <summary>What one model said about one song.</summary>
/// <param name="Kind">What was classified, and so where it appears in the song's result.</param>
/// <param name="Task">The model's task name, such as <c>genre</c> or <c>mood_happy</c>.</param>
/// <param name="Scores">
/// Every label with its probability at full precision, most likely first; for <see cref="ClassifierKind.Mood"/> and
/// <see cref="ClassifierKind.Danceability"/> the positive label (<c>happy</c>, not <c>non_happy</c>) first. The pipeline
/// rounds when it builds the result (see <see cref="PipelineOptions.RoundResults"/>).
/// </param>
/// <param name="Model">The model's name and version, such as <c>gtzan-genre-mlp-krr@2.0.0</c>.</param>
public sealed record ClassifierOutput(ClassifierKind Kind, string Task, IReadOnlyList<LabelScore> Scores, string Model);
