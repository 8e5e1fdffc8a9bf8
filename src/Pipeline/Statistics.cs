namespace MusicClassification;

/// <summary>Summary statistics of a per-frame feature over the analysed excerpt.</summary>
/// <param name="Mean">The mean over frames.</param>
/// <param name="StandardDeviation">The population standard deviation.</param>
/// <param name="Skewness">The population skewness (0 for a symmetric distribution).</param>
/// <param name="Kurtosis">The excess kurtosis (0 for a normal distribution).</param>
public sealed record Statistics(double Mean, double StandardDeviation, double Skewness, double Kurtosis);
