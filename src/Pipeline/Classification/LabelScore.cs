namespace MusicClassification.Classification;

/// <summary>One label with the model's probability for it.</summary>
/// <param name="Label">The label, such as <c>rock</c>.</param>
/// <param name="Probability">The probability, 0 … 1.</param>
public sealed record LabelScore(string Label, double Probability);
