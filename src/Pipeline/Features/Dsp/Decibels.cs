namespace MusicClassification.Features.Dsp;

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
}
