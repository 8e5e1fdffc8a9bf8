using System.Numerics;

namespace MusicClassification.Dsp;

/// <summary>Summary statistics of a series: the one home for mean, variance, skewness and kurtosis.</summary>
/// <param name="Mean">The arithmetic mean.</param>
/// <param name="Variance">The population variance (numpy's <c>var</c>, ddof = 0).</param>
/// <param name="Skewness">The population skewness (third standardised moment); 0 when the variance is 0.</param>
/// <param name="Kurtosis">The excess kurtosis (fourth standardised moment minus 3); 0 when the variance is 0.</param>
internal readonly record struct Moments(double Mean, double Variance, double Skewness, double Kurtosis)
{
    /// <summary>The moments of <paramref name="values"/>, accumulated in double precision, a vector at a time (two passes: the mean, then the deviations).</summary>
    public static Moments Of(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return default;
        }

        int width = Vector<float>.Count;
        int i = 0;
        Vector<double> sums = Vector<double>.Zero;
        for (; i + width <= values.Length; i += width)
        {
            Vector.Widen(new Vector<float>(values[i..]), out Vector<double> low, out Vector<double> high);
            sums += low + high;
        }

        double sum = Vector.Sum(sums);
        for (; i < values.Length; i++)
        {
            sum += values[i];
        }

        double mean = sum / values.Length;
        var center = new Vector<double>(mean);
        Vector<double> s2 = Vector<double>.Zero;
        Vector<double> s3 = Vector<double>.Zero;
        Vector<double> s4 = Vector<double>.Zero;
        for (i = 0; i + width <= values.Length; i += width)
        {
            Vector.Widen(new Vector<float>(values[i..]), out Vector<double> low, out Vector<double> high);
            Accumulate(low - center, ref s2, ref s3, ref s4);
            Accumulate(high - center, ref s2, ref s3, ref s4);
        }

        double m2 = Vector.Sum(s2);
        double m3 = Vector.Sum(s3);
        double m4 = Vector.Sum(s4);
        for (; i < values.Length; i++)
        {
            double d = values[i] - mean;
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

    private static void Accumulate(Vector<double> d, ref Vector<double> s2, ref Vector<double> s3, ref Vector<double> s4)
    {
        Vector<double> d2 = d * d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
    }
}
