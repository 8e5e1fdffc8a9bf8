using System.Buffers;
using MusicClassification.Dsp;

namespace MusicClassification.Features.Rhythm;

/// <summary>
/// The global half of Davies' beat emphasis function as Essentia's <c>OnsetDetectionGlobal</c> computes it: each ERB
/// band's complex-difference function scaled to unit deviation, less its 17-value moving average (half-rectified); each
/// band weighted by the salience of its periodicity (the peak of its comb-filtered, tempo-weighted autocorrelation); the
/// salient bands summed.
/// </summary>
internal static class BeatEmphasis
{
    public const int Bands = 40;
    private const int SmoothingHalf = 8;
    private const int Combs = 4;

    /// <summary>Combines the bands (frame-major: frame t's band b at t·<paramref name="stride"/> + b; overwritten) into the function.</summary>
    public static float[] Combine(float[] bands, int stride, int frames, double functionRate, ArrayPool<float> pool)
    {
        var result = new float[frames];
        if (frames == 0)
        {
            return result;
        }

        int maxPeriod = (int)Math.Round(5.944308390022676 * functionRate, MidpointRounding.AwayFromZero);
        var tempoWeights = new double[maxPeriod];
        double rayleigh = Math.Pow(Math.Round(43 * 512.0 / maxPeriod, MidpointRounding.AwayFromZero), 2);
        for (int i = 0; i < maxPeriod; i++)
        {
            int tau = i + 1;
            tempoWeights[i] = tau / rayleigh * Math.Exp(-0.5 * tau * tau / rayleigh);
        }

        int extended = frames + (2 * SmoothingHalf);
        var series = new float[extended];
        var acf = new float[maxPeriod];
        var weighted = new double[maxPeriod];
        var salience = new double[Bands];
        for (int b = 0; b < Bands; b++)
        {
            double mean = 0;
            for (int i = 0; i < frames; i++)
            {
                series[i] = bands[(i * stride) + b];
                mean += series[i];
            }

            mean /= frames;
            double variance = 0;
            for (int i = 0; i < frames; i++)
            {
                variance += (series[i] - mean) * (series[i] - mean);
            }

            float deviation = (float)Math.Sqrt(variance / frames);
            for (int i = 0; i < frames; i++)
            {
                series[i] = deviation > 0 ? series[i] / deviation : series[i];
            }

            // Essentia extends the band by 16 copies of its last value and averages forwards over 17 values; the copies
            // stay in the series its autocorrelation is taken from.
            for (int i = frames; i < extended; i++)
            {
                series[i] = series[frames - 1];
            }

            double window = 0;
            for (int i = 0; i <= 2 * SmoothingHalf; i++)
            {
                window += series[i];
            }

            for (int i = 0; i < frames; i++)
            {
                float average = (float)(window / ((2 * SmoothingHalf) + 1));
                if (i + (2 * SmoothingHalf) + 1 < extended)
                {
                    window += series[i + (2 * SmoothingHalf) + 1] - series[i];
                }

                series[i] = Math.Max(0, series[i] - average);
            }

            Autocorrelation.Unbiased(series, acf, pool);
            Array.Clear(weighted);
            int periodMin = 3;
            int periodMax = ((maxPeriod - (Combs - 1)) / Combs) - 1;
            for (int comb = 1; comb <= Combs; comb++)
            {
                int width = (2 * comb) - 1;
                for (int region = 1 - comb; region <= comb - 1; region++)
                {
                    for (int period = periodMin; period < periodMax; period++)
                    {
                        weighted[period] += tempoWeights[period] * acf[(period * comb) + region] / width;
                    }
                }
            }

            salience[b] = weighted.Max();
            for (int i = 0; i < frames; i++)
            {
                bands[(i * stride) + b] = series[i];
            }
        }

        double peak = salience.Max();
        if (peak != 0)
        {
            for (int b = 0; b < Bands; b++)
            {
                salience[b] /= peak;
            }
        }

        // Essentia means to keep the top 40 % of bands (the 60th percentile as threshold), but sorts an empty vector
        // and reads the copied, unsorted weights: the threshold is band 24's own weight. Kept, to agree with it.
        double threshold = salience[(int)Math.Floor(Bands * 0.6)];
        for (int b = 0; b < Bands; b++)
        {
            if (salience[b] >= threshold)
            {
                float w = (float)salience[b];
                for (int i = 0; i < frames; i++)
                {
                    result[i] += bands[(i * stride) + b] * w;
                }
            }
        }

        return result;
    }
}
