using MusicClassification.Dsp;

namespace MusicClassification.Features.Tonal;

/// <summary>
/// Essentia's <c>SpectralWhitening</c>: each peak's magnitude relative to a smooth envelope of the spectrum (a
/// weighted mean of the power around every 100 Hz up to 1.2 × the highest frequency), so that a key is found from which
/// pitches sound rather than from which are loud. A peak at or above the envelope weighs 0 dB, one within 30 dB below it
/// its distance, anything lower −200 dB, all tilted by −20 dB per 4 kHz; the result is linear again.
/// </summary>
internal static class SpectralWhitening
{
    private const float Resolution = 100f;
    private const float SilenceCutoff = 1e-10f;

    /// <summary>The number of envelope points for a highest frequency of <paramref name="maxHz"/> at the given Nyquist frequency.</summary>
    public static int EnvelopeLength(float maxHz, float nyquistHz) => (int)(Math.Min(maxHz * 1.2f, nyquistHz) / Resolution) + 1;

    /// <summary>Whitens the magnitudes of <paramref name="peaks"/> in place.</summary>
    /// <param name="spectrum">The magnitude spectrum the peaks were found in (bins 0 … rate/2).</param>
    /// <param name="nyquistHz">Half the sample rate.</param>
    /// <param name="maxHz">The highest frequency the key looks at (the envelope reaches 1.2 × this).</param>
    /// <param name="peaks">The peaks; their magnitudes are replaced.</param>
    /// <param name="envelope">Room for <see cref="EnvelopeLength"/> values.</param>
    public static void Apply(ReadOnlySpan<float> spectrum, float nyquistHz, float maxHz, Span<SpectralPeak> peaks, Span<float> envelope)
    {
        if (peaks.IsEmpty)
        {
            return;
        }

        float highest = maxHz * 1.2f;
        int size = spectrum.Length;
        int points = 0;
        for (float hz = 0; hz <= highest && hz <= nyquistHz; hz += Resolution)
        {
            float from = hz - MathF.Max(50f, hz * 0.34f);
            float to = hz + MathF.Max(50f, hz * 0.58f);
            int b = Math.Clamp((int)((from / nyquistHz * (size - 1f)) + 0.5f), 0, size - 1);
            int e = Math.Min(size, Math.Max((int)((to / nyquistHz * (size - 1f)) + 0.5f), b + 1));
            float centre = (b / 2f) + (e / 2f);
            float halfLength = e - centre;
            float weights = 0;
            float weighted = 0;
            for (int i = b; i < e; i++)
            {
                // A fourth-power triangle, itself weighted by the bin's power: the loud bins dominate their neighbourhood.
                float w = 1f - (MathF.Abs(i - centre) / halfLength);
                w *= w;
                w *= w;
                float power = spectrum[i] * spectrum[i];
                w *= power;
                weighted += power * w;
                weights += w;
            }

            envelope[points++] = weights != 0 ? weighted / weights : weighted;
        }

        envelope[points - 1] = envelope[points - 2];
        for (int p = 0; p < points; p++)
        {
            envelope[p] = 2f * PowerDb(MathF.Sqrt(envelope[p]));
        }

        // Essentia also finds the loudest peak and a value from it, which its next statement always overwrites: left out.
        for (int k = 0; k < peaks.Length; k++)
        {
            float hz = peaks[k].FrequencyHz;
            float db = 2f * PowerDb(peaks[k].Magnitude);
            float white;
            if (hz > highest - Resolution)
            {
                white = db;
            }
            else
            {
                int segment = Math.Min((int)(hz / Resolution), points - 2);
                while (hz > (segment + 1) * Resolution)
                {
                    segment++;
                }

                float x0 = segment * Resolution;
                float slope = (envelope[segment + 1] - envelope[segment]) / Resolution;
                float env = ((hz - x0) * slope) + envelope[segment];
                white = db > env ? 0f : db > env - 30f ? db - env : -200f;
                white -= 20f * hz / 4000f;
            }

            peaks[k] = peaks[k] with { Magnitude = MathF.Pow(10f, white / 20f) };
        }
    }

    /// <summary>Essentia's <c>lin2db</c>: 10·log10, with −100 dB for anything below 1e−10.</summary>
    private static float PowerDb(float value) => value < SilenceCutoff ? -100f : 10f * MathF.Log10(value);
}
