namespace MusicClassification.Classification;

/// <summary>A model the pipeline runs, as its manifest describes it.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The model's version.</param>
/// <param name="Task">What it classifies, such as <c>genre</c>.</param>
/// <param name="Labels">Its output labels, in output order.</param>
/// <param name="Inputs">What it reads, such as the GTZAN column names.</param>
/// <param name="Licence">The model's licence.</param>
/// <param name="Source">How it was made or where it comes from.</param>
/// <param name="Accuracy">Its measured accuracy, when known (for the embedded genre model: 10-fold cross-validated).</param>
public sealed record ModelDescription(
    string Name, string Version, string Task, IReadOnlyList<string> Labels, IReadOnlyList<string> Inputs, string Licence, string Source, double? Accuracy);
