using System.Buffers;
using System.Numerics.Tensors;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Fft;

namespace MusicClassification.Features.Tonal;

/// <summary>
/// The key of a whole signal as Essentia's <c>KeyExtractor</c> defines it: Hann-windowed frames of about 93 ms
/// (4096 samples at 44.1 kHz, the same length and bins at other rates) one after another, the first centred on the
/// first sample; in each, the 60 strongest spectral peaks between 25 Hz and 3.5 kHz above 1e−4, whitened against the
/// spectral envelope, folded into a 12-bin harmonic pitch class profile; the profiles averaged, scaled to a peak of 1,
/// bins under 0.2 zeroed, and Pearson-correlated with the 24 rotations of a major and a minor <see cref="KeyProfile"/>.
/// The best correlation is the key and its strength (a minor key wins a tie, as in Essentia).
/// </summary>
internal static class KeyEstimator
{
    private const float MinHz = 25f;
    private const float MaxHz = 3500f;
    private const float PeakThreshold = 1e-4f;
    private const int MaxPeaks = 60;
    private const double ReferenceHz = 440;
    private const double Gate = 0.2;
    private const double ReferenceFrameSeconds = 4096.0 / 44_100;

    private static readonly string[] Names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    public static string TonicName(int tonic) => Names[tonic];

    /// <summary>The frame length at <paramref name="sampleRate"/>: the power of two nearest to Essentia's 93 ms.</summary>
    public static int FrameLength(int sampleRate) => PowerOfTwo.Nearest(ReferenceFrameSeconds, sampleRate);

    /// <summary>Estimates the key of <paramref name="samples"/>; null when no frame has a pitched peak (silence, noise below the threshold).</summary>
    public static KeyEstimate? Estimate(ReadOnlySpan<float> samples, int sampleRate, KeyProfile profile, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        int frameLength = FrameLength(sampleRate);
        RealFftPlan fft = RealFftPlan.For(frameLength);
        int bins = fft.BinCount;
        float nyquist = sampleRate / 2f;
        float hzPerBin = (float)sampleRate / frameLength;
        float[] window = Windows.NormalisedHann(frameLength);
        var whitening = new SpectralWhitening(bins, nyquist, MaxHz);
        int whitened = whitening.BinsUsed;
        float[] work = pool.Rent((2 * frameLength) + (4 * bins));
        SpectralPeak[] peaks = ArrayPool<SpectralPeak>.Shared.Rent((bins / 2) + 2);
        try
        {
            Span<float> frame = work.AsSpan(0, frameLength);
            Span<float> scratch = work.AsSpan(frameLength, frameLength);
            Span<float> re = work.AsSpan(2 * frameLength, bins);
            Span<float> im = work.AsSpan((2 * frameLength) + bins, bins);
            Span<float> magnitude = work.AsSpan((2 * frameLength) + (2 * bins), bins);
            Span<float> powerSquared = work.AsSpan((2 * frameLength) + (3 * bins), whitened);
            Span<double> hpcp = stackalloc double[Hpcp.Size];
            hpcp.Clear();

            int half = frameLength / 2;
            for (long centre = 0; centre - half < samples.Length; centre += frameLength)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = (int)(centre - half);
                int from = Math.Max(0, start);
                int to = Math.Min(samples.Length, start + frameLength);
                frame[..(from - start)].Clear();
                TensorPrimitives.Multiply(samples[from..to], window.AsSpan(from - start, to - from), frame[(from - start)..(to - start)]);
                frame[(to - start)..].Clear();
                fft.Forward(frame, scratch, re, im);
                Span<float> power = re;
                TensorPrimitives.Multiply(re, re, power);
                TensorPrimitives.MultiplyAdd(im, im, power, power);
                TensorPrimitives.Sqrt(power, magnitude);
                TensorPrimitives.Multiply(power[..whitened], power[..whitened], powerSquared);

                int count = SpectralPeaks.Find(magnitude, hzPerBin, MinHz, MaxHz, PeakThreshold, peaks, MaxPeaks);
                Span<SpectralPeak> strongest = peaks.AsSpan(0, count);
                whitening.Apply(power, powerSquared, strongest);
                Hpcp.Accumulate(strongest, ReferenceHz, MinHz, MaxHz, hpcp);
            }

            return FromProfile(hpcp, profile);
        }
        finally
        {
            pool.Return(work);
            ArrayPool<SpectralPeak>.Shared.Return(peaks);
        }
    }

    /// <summary>The key of a summed pitch class profile (A = 0): Essentia's streaming <c>Key</c> with 12 bins.</summary>
    public static KeyEstimate? FromProfile(ReadOnlySpan<double> hpcpFromA, KeyProfile profile)
    {
        double peak = 0;
        foreach (double value in hpcpFromA)
        {
            peak = Math.Max(peak, value);
        }

        if (peak <= 0)
        {
            return null;
        }

        Span<double> pcp = stackalloc double[Hpcp.Size];
        for (int i = 0; i < Hpcp.Size; i++)
        {
            double scaled = hpcpFromA[i] / peak;
            pcp[i] = scaled < Gate ? 0 : scaled;
        }

        (double[] major, double[] minor) = KeyProfiles.For(profile);
        (double bestMajor, int majorShift) = Best(pcp, major);
        (double bestMinor, int minorShift) = Best(pcp, minor);
        bool isMinor = bestMinor >= bestMajor;
        int shiftFromA = isMinor ? minorShift : majorShift;
        return new KeyEstimate((shiftFromA + 9) % 12, isMinor, isMinor ? bestMinor : bestMajor);
    }

    /// <summary>The highest correlation over the 12 rotations of <paramref name="profile"/> and its rotation (the first on a tie).</summary>
    private static (double Correlation, int Shift) Best(ReadOnlySpan<double> pcp, double[] profile)
    {
        double pcpMean = Mean(pcp);
        double profileMean = Mean(profile);
        double pcpNorm = Norm(pcp, pcpMean);
        double profileNorm = Norm(profile, profileMean);
        (double, int) best = (-1, -1);
        for (int shift = 0; shift < Hpcp.Size; shift++)
        {
            double r = 0;
            if (pcpNorm != 0 && profileNorm != 0)
            {
                for (int i = 0; i < Hpcp.Size; i++)
                {
                    r += (pcp[i] - pcpMean) * (profile[(i - shift + Hpcp.Size) % Hpcp.Size] - profileMean);
                }

                r /= pcpNorm * profileNorm;
            }

            if (r > best.Item1)
            {
                best = (r, shift);
            }
        }

        return best;
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private static double Norm(ReadOnlySpan<double> values, double mean)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum);
    }
}
