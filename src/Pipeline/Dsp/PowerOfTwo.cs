namespace MusicClassification.Dsp;

/// <summary>Frame lengths for the FFT: a duration defined at one rate kept at another by the nearest power of two.</summary>
internal static class PowerOfTwo
{
    /// <summary>The power of two nearest (on a log scale) to <paramref name="seconds"/> × <paramref name="sampleRate"/>.</summary>
    public static int Nearest(double seconds, int sampleRate) => 1 << (int)Math.Round(Math.Log2(seconds * sampleRate));
}
