namespace MusicClassification.Classification;

/// <summary>One label with the model's probability for it.</summary>
/// <param name="Label">The label, such as <c>rock</c>.</param>
/// <param name="Probability">The probability, 0 … 1.</param>
public sealed record LabelScore(string Label, double Probability)
{
    /// <summary>Pairs labels with probabilities and ranks them, most likely first, ties by label.</summary>
    /// <param name="labels">The model's labels.</param>
    /// <param name="probabilities">One probability per label, in the same order.</param>
    /// <returns>The scores, most likely first.</returns>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public static IReadOnlyList<LabelScore> Ranked(IReadOnlyList<string> labels, ReadOnlySpan<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != probabilities.Length)
        {
            throw new ArgumentException($"{labels.Count} labels but {probabilities.Length} probabilities.", nameof(probabilities));
        }

        var scores = new LabelScore[labels.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = new LabelScore(labels[i], probabilities[i]);
        }

        return [.. scores.OrderByDescending(s => s.Probability).ThenBy(s => s.Label, StringComparer.Ordinal)];
    }
}
