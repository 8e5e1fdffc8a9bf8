namespace MusicClassification.Tests.TestAudio;

/// <summary>A deliberately naive DFT, independent of the library's DSP, for checking dominant frequencies.</summary>
public static class Spectrum
{
    /// <summary>The frequency of the strongest DFT bin of a Hann-windowed <paramref name="length"/>-sample excerpt starting at <paramref name="offset"/>.</summary>
    public static double DominantFrequency(ReadOnlySpan<float> samples, int sampleRate, int offset, int length = 4096)
    {
        var frame = new double[length];
        for (int n = 0; n < length; n++)
        {
            frame[n] = samples[offset + n] * (0.5 - (0.5 * Math.Cos(2 * Math.PI * n / length)));
        }

        int best = 0;
        double bestPower = -1;
        for (int k = 1; k < length / 2; k++)
        {
            double re = 0;
            double im = 0;
            double step = 2 * Math.PI * k / length;
            for (int n = 0; n < length; n++)
            {
                re += frame[n] * Math.Cos(step * n);
                im -= frame[n] * Math.Sin(step * n);
            }

            double power = (re * re) + (im * im);
            if (power > bestPower)
            {
                bestPower = power;
                best = k;
            }
        }

        return (double)best * sampleRate / length;
    }

    public static double BinWidth(int sampleRate, int length = 4096) => (double)sampleRate / length;
}
