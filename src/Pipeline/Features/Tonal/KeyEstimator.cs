namespace MusicClassification.Features.Tonal;

/// <summary>
/// Key and mode from a mean chroma vector (C = 0 … B = 11) by correlation with the 24 rotations of the
/// Krumhansl–Kessler probe-tone profiles; the strength is the winning Pearson correlation (−1 … 1).
/// </summary>
internal static class KeyEstimator
{
    private static readonly double[] Major = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
    private static readonly double[] Minor = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
    private static readonly string[] Names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    public static string TonicName(int tonic) => Names[tonic];

    /// <summary>Returns the best tonic, whether it is minor, and the correlation; null when the chroma is flat (no pitch content).</summary>
    public static KeyEstimate? Estimate(ReadOnlySpan<float> meanChroma)
    {
        double mean = 0;
        for (int c = 0; c < 12; c++)
        {
            mean += meanChroma[c];
        }

        mean /= 12;
        double spread = 0;
        for (int c = 0; c < 12; c++)
        {
            spread += (meanChroma[c] - mean) * (meanChroma[c] - mean);
        }

        if (spread < 1e-12)
        {
            return null;
        }

        (int, bool, double) best = (0, false, double.NegativeInfinity);
        for (int tonic = 0; tonic < 12; tonic++)
        {
            double major = Correlation(meanChroma, Major, tonic);
            double minor = Correlation(meanChroma, Minor, tonic);
            if (major > best.Item3)
            {
                best = (tonic, false, major);
            }

            if (minor > best.Item3)
            {
                best = (tonic, true, minor);
            }
        }

        return new KeyEstimate(best.Item1, best.Item2, best.Item3);
    }

    private static double Correlation(ReadOnlySpan<float> chroma, double[] profile, int tonic)
    {
        double chromaMean = 0;
        double profileMean = 0;
        for (int c = 0; c < 12; c++)
        {
            chromaMean += chroma[c];
            profileMean += profile[c];
        }

        chromaMean /= 12;
        profileMean /= 12;
        double covariance = 0;
        double chromaVar = 0;
        double profileVar = 0;
        for (int c = 0; c < 12; c++)
        {
            double x = chroma[c] - chromaMean;
            double y = profile[(c - tonic + 12) % 12] - profileMean;
            covariance += x * y;
            chromaVar += x * x;
            profileVar += y * y;
        }

        return covariance / Math.Sqrt(chromaVar * profileVar);
    }
}
