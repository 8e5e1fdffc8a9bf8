namespace MusicClassification.Dsp;

/// <summary>Level conversions: the one home for dB arithmetic in the library.</summary>
internal static class Decibels
{
    /// <summary>The level reported for digital silence, where the logarithm has no finite value.</summary>
    public const double Floor = -120;

    /// <summary>20·log10(amplitude), never below <see cref="Floor"/>.</summary>
    public static double FromAmplitude(double amplitude) =>
        amplitude <= 0 ? Floor : Math.Max(Floor, 20 * Math.Log10(amplitude));

    /// <summary>10·log10(power), never below <see cref="Floor"/>.</summary>
    public static double FromPower(double power) =>
        power <= 0 ? Floor : Math.Max(Floor, 10 * Math.Log10(power));

    /// <summary>
    /// librosa's <c>power_to_db(S, ref=1.0, amin=1e-10, top_db=80)</c> in place over a whole spectrogram:
    /// 10·log10(max(amin, S)), then floored at the spectrogram's maximum minus <paramref name="topDb"/>.
    /// </summary>
    public static void PowerToDbInPlace(Span<float> spectrogram, float amin = 1e-10f, float topDb = 80f)
    {
        System.Numerics.Tensors.TensorPrimitives.Max(spectrogram, amin, spectrogram);
        System.Numerics.Tensors.TensorPrimitives.Log10(spectrogram, spectrogram);
        System.Numerics.Tensors.TensorPrimitives.Multiply(spectrogram, 10f, spectrogram);
        float floor = System.Numerics.Tensors.TensorPrimitives.Max(spectrogram) - topDb;
        System.Numerics.Tensors.TensorPrimitives.Max(spectrogram, floor, spectrogram);
    }
}
