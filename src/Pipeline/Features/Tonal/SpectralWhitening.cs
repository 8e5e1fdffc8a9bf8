using System.Numerics.Tensors;
using MusicClassification.Dsp;

namespace MusicClassification.Features.Tonal;

/// <summary>
/// Essentia's <c>SpectralWhitening</c>: each peak's magnitude relative to a smooth envelope of the spectrum (a
/// weighted mean of the power around every 100 Hz up to 1.2 × the highest frequency), so that a key is found from which
/// pitches sound rather than from which are loud. A peak at or above the envelope weighs 0 dB, one within 30 dB below it
/// its distance, anything lower −200 dB, all tilted by −20 dB per 4 kHz; the result is linear again. The envelope's
/// triangular weights depend only on the bins, so an instance computes them once for a spectrum size.
/// </summary>
internal sealed class SpectralWhitening
{
    private const float Resolution = 100f;
    private const float SilenceCutoff = 1e-10f;

    private readonly float _highest;
    private readonly int[] _from;
    private readonly float[][] _weights;
    private readonly float[] _envelope;

    /// <param name="bins">The spectrum's length (bins 0 … rate/2).</param>
    /// <param name="nyquistHz">Half the sample rate.</param>
    /// <param name="maxHz">The highest frequency the key looks at (the envelope reaches 1.2 × this).</param>
    public SpectralWhitening(int bins, float nyquistHz, float maxHz)
    {
        _highest = maxHz * 1.2f;
        var from = new List<int>();
        var weights = new List<float[]>();
        for (float hz = 0; hz <= _highest && hz <= nyquistHz; hz += Resolution)
        {
            float low = hz - MathF.Max(50f, hz * 0.34f);
            float high = hz + MathF.Max(50f, hz * 0.58f);
            int b = Math.Clamp((int)((low / nyquistHz * (bins - 1f)) + 0.5f), 0, bins - 1);
            int e = Math.Min(bins, Math.Max((int)((high / nyquistHz * (bins - 1f)) + 0.5f), b + 1));
            float centre = (b / 2f) + (e / 2f);
            float halfLength = e - centre;
            var w = new float[e - b];
            for (int i = b; i < e; i++)
            {
                // A fourth-power triangle; per frame it is further weighted by each bin's power, so loud bins dominate.
                float t = 1f - (MathF.Abs(i - centre) / halfLength);
                t *= t;
                w[i - b] = t * t;
            }

            from.Add(b);
            weights.Add(w);
        }

        _from = [.. from];
        _weights = [.. weights];
        _envelope = new float[_from.Length];
    }

    /// <summary>The bins the envelope reads: the spectrum's first this many.</summary>
    public int BinsUsed => _from[^1] + _weights[^1].Length;

    /// <summary>Whitens the magnitudes of <paramref name="peaks"/> in place, given the spectrum's power and the power squared (at least <see cref="BinsUsed"/> bins).</summary>
    public void Apply(ReadOnlySpan<float> power, ReadOnlySpan<float> powerSquared, Span<SpectralPeak> peaks)
    {
        if (peaks.IsEmpty)
        {
            return;
        }

        // Each point: Σ w·p² / Σ w·p (the power-weighted mean power), in dB.
        int points = _from.Length;
        for (int p = 0; p < points; p++)
        {
            float weights = TensorPrimitives.Dot(_weights[p], power.Slice(_from[p], _weights[p].Length));
            float weighted = TensorPrimitives.Dot(_weights[p], powerSquared.Slice(_from[p], _weights[p].Length));

            _envelope[p] = weights != 0 ? weighted / weights : weighted;
        }

        _envelope[points - 1] = _envelope[points - 2];
        for (int p = 0; p < points; p++)
        {
            _envelope[p] = 2f * PowerDb(MathF.Sqrt(_envelope[p]));
        }

        // Essentia also finds the loudest peak and a value from it, which its next statement always overwrites: left out.
        for (int k = 0; k < peaks.Length; k++)
        {
            float hz = peaks[k].FrequencyHz;
            float db = 2f * PowerDb(peaks[k].Magnitude);
            float white;
            if (hz > _highest - Resolution)
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
                float slope = (_envelope[segment + 1] - _envelope[segment]) / Resolution;
                float env = ((hz - x0) * slope) + _envelope[segment];
                white = db > env ? 0f : db > env - 30f ? db - env : -200f;
                white -= 20f * hz / 4000f;
            }

            peaks[k] = peaks[k] with { Magnitude = MathF.Pow(10f, white / 20f) };
        }
    }

    /// <summary>Essentia's <c>lin2db</c>: 10·log10, with −100 dB for anything below 1e−10.</summary>
    private static float PowerDb(float value) => value < SilenceCutoff ? -100f : 10f * MathF.Log10(value);
}
