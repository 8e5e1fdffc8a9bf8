using System.Numerics.Tensors;

namespace MusicClassification.Features.Spectral;

/// <summary>
/// librosa's <c>spectral_flatness</c> of one power spectrum: the geometric mean over the arithmetic mean, each bin
/// floored at 1e-10 (amin). 1 for white noise in expectation (≈ 0.56 for one frame of Gaussian noise, whose power
/// bins are exponentially distributed), near 0 for a pure tone.
/// </summary>
internal static class SpectralFlatness
{
    private const float Amin = 1e-10f;

    public static float Of(ReadOnlySpan<float> power)
    {
        double logSum = 0;
        double sum = 0;
        foreach (float p in power)
        {
            float v = Math.Max(p, Amin);
            logSum += Math.Log(v);
            sum += v;
        }

        return (float)(Math.Exp(logSum / power.Length) / (sum / power.Length));
    }
}
