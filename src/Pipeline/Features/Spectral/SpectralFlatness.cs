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

    /// <summary>The flatness of one power spectrum; <paramref name="scratch"/> holds as many floats as it.</summary>
    public static float Of(ReadOnlySpan<float> power, Span<float> scratch)
    {
        // Vectorised in float32, as numpy computes it on librosa's float32 spectrogram (its means are float32 sums too).
        Span<float> floored = scratch[..power.Length];
        TensorPrimitives.Max(power, Amin, floored);
        double sum = TensorPrimitives.Sum(floored);
        TensorPrimitives.Log(floored, floored);
        double logSum = TensorPrimitives.Sum(floored);
        return (float)(Math.Exp(logSum / power.Length) / (sum / power.Length));
    }
}
