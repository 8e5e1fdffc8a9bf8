using System.Numerics.Tensors;
using MusicClassification.Dsp;

namespace MusicClassification.Features.Tonal;

/// <summary>
/// Essentia's harmonic pitch class profile (<c>HPCP</c>) as its key extractor configures it: 12 bins from A
/// (the reference frequency) upwards, each peak between the lowest and highest frequency adding its squared magnitude
/// to the nearest semitone with a cosine weight over a one-semitone window, also as the 2nd to 5th harmonic of the
/// pitches below it (octaves fold into the pitch itself: weight 3; the 3rd harmonic, a twelfth, weight 1; the 5th,
/// two octaves and a major third, 1/1.161), the weights squared; no normalisation per frame.
/// </summary>
internal static class Hpcp
{
    public const int Size = 12;

    /// <summary>The pitch classes a peak may be a harmonic of, in semitones below it (folded into an octave), with their weights.</summary>
    private static readonly (double Semitones, double Weight)[] Harmonics = BuildHarmonics(4);

    /// <summary>Adds the peaks' contributions to <paramref name="hpcp"/> (12 bins, A = 0).</summary>
    public static void Accumulate(ReadOnlySpan<SpectralPeak> peaks, double referenceHz, double minHz, double maxHz, Span<double> hpcp)
    {
        // Every (peak, harmonic, bin) term's cosine argument first, their cosines in one vectorised pass, then the sums in
        // the terms' order. A bin at most half a semitone away: one per harmonic, two only exactly half-way. Each term's
        // bin and harmonic share one int (bin + 12·harmonic).
        int most = peaks.Length * Harmonics.Length * 2;
        const int OnTheStack = 512;
        Span<float> cosines = most <= OnTheStack ? stackalloc float[most] : new float[most];
        Span<double> powers = most <= OnTheStack ? stackalloc double[most] : new double[most];
        Span<int> targets = most <= OnTheStack ? stackalloc int[most] : new int[most];
        int terms = 0;
        foreach (SpectralPeak peak in peaks)
        {
            double hz = peak.FrequencyHz;
            if (hz < minHz || hz > maxHz)
            {
                continue;
            }

            double power = (double)peak.Magnitude * peak.Magnitude;
            double pitch = Math.Log2(hz / referenceHz) * Size;
            for (int h = 0; h < Harmonics.Length; h++)
            {
                double semitones = Harmonics[h].Semitones;
                // The bin of the fundamental this peak would be a harmonic of: log2(f·2^(−s/12) / ref)·12 = pitch − s.
                double bin = pitch - semitones;
                int left = (int)Math.Ceiling(bin - 0.5);
                int right = (int)Math.Floor(bin + 0.5);
                for (int i = left; i <= right; i++)
                {
                    cosines[terms] = MathF.PI * (float)Math.Abs(bin - i);
                    powers[terms] = power;
                    targets[terms++] = (((i % Size) + Size) % Size) + (Size * h);
                }
            }
        }

        cosines = cosines[..terms];
        TensorPrimitives.Cos(cosines, cosines);
        for (int t = 0; t < terms; t++)
        {
            double weight = Harmonics[targets[t] / Size].Weight;
            hpcp[targets[t] % Size] += cosines[t] * powers[t] * weight * weight;
        }
    }

    private static (double, double)[] BuildHarmonics(int harmonics)
    {
        const double Precision = 0.00001;
        var peaks = new List<(double Semitones, double Weight)>();
        for (int i = 0; i <= harmonics; i++)
        {
            double semitone = 12 * Math.Log2(i + 1.0);
            double octaveWeight = Math.Max(1.0, semitone / 12 * 0.5);
            while (semitone >= 12 - Precision)
            {
                semitone -= 12;
            }

            int existing = peaks.FindIndex(p => p.Semitones > semitone - Precision && p.Semitones < semitone + Precision);
            if (existing < 0)
            {
                peaks.Add((semitone, 1 / octaveWeight));
            }
            else
            {
                peaks[existing] = (peaks[existing].Semitones, peaks[existing].Weight + (1 / octaveWeight));
            }
        }

        return [.. peaks];
    }
}
