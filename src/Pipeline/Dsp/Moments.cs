namespace MusicClassification.Dsp;

/// <summary>Summary statistics of a series: the one home for mean, variance, skewness and kurtosis.</summary>
/// <param name="Mean">The arithmetic mean.</param>
/// <param name="Variance">The population variance (numpy's <c>var</c>, ddof = 0).</param>
/// <param name="Skewness">The population skewness (third standardised moment); 0 when the variance is 0.</param>
/// <param name="Kurtosis">The excess kurtosis (fourth standardised moment minus 3); 0 when the variance is 0.</param>
internal readonly record struct Moments(double Mean, double Variance, double Skewness, double Kurtosis)
{
    public static Moments Of(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return default;
        }

        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        double mean = sum / values.Length;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }

        m2 /= values.Length;
        m3 /= values.Length;
        m4 /= values.Length;
        return m2 <= 0
            ? new Moments(mean, 0, 0, 0)
            : new Moments(mean, m2, m3 / Math.Pow(m2, 1.5), (m4 / (m2 * m2)) - 3);
    }
}
