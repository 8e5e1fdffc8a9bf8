namespace MusicClassification.Classification;

/// <summary>What one classifier said about one song.</summary>
/// <param name="Task">What was classified, such as <c>genre</c>.</param>
/// <param name="Scores">Every label with its probability, most likely first.</param>
/// <param name="Model">The model's name and version, such as <c>gtzan-genre-mlp-krr@2.0.0</c>.</param>
internal sealed record ClassifierOutput(string Task, IReadOnlyList<LabelScore> Scores, string Model);
