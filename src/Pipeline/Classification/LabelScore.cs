namespace MusicClassification.Classification;

/// <summary>One label with the model's probability for it.</summary>
/// <param name="Label">The label, such as <c>rock</c>.</param>
/// <param name="Probability">The probability, 0 … 1.</param>
public sealed record LabelScore(string Label, double Probability)
{
    /// <summary>Pairs labels with probabilities (rounded to 4 decimals) and ranks them, most likely first, ties by label.</summary>
    internal static LabelScore[] Ranked(IReadOnlyList<string> labels, ReadOnlySpan<float> probabilities)
    {
        var scores = new LabelScore[labels.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = new LabelScore(labels[i], Math.Round(probabilities[i], 4));
        }

        return [.. scores.OrderByDescending(s => s.Probability).ThenBy(s => s.Label, StringComparer.Ordinal)];
    }
}
