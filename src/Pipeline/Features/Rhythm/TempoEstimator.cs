using System.Buffers;
using System.Numerics.Tensors;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Fft;

namespace MusicClassification.Features.Rhythm;

/// <summary>
/// librosa's static tempo estimate (<c>feature.tempo</c>, as <c>beat_track</c> uses it): the tempogram (autocorrelation
/// of 8 s Hann-windowed excerpts of the onset envelope, each normalised by its peak) averaged over time, weighted by a
/// log-normal prior centred on 120 BPM (one octave wide), limited to tempi below 320 BPM; the best lag's tempo wins.
/// An envelope with no onsets gives 0, as librosa does.
/// </summary>
internal static class TempoEstimator
{
    public const double StartBpm = 120;
    public const double StdOctaves = 1.0;
    public const double MaxBpm = 320;
    public const double WindowSeconds = 8.0;

    /// <summary>Estimates the tempo in BPM as librosa does: a whole lag's tempo; 0 without onsets.</summary>
    public static double Estimate(ReadOnlySpan<float> envelope, int sampleRate, int hopLength, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        bool any = false;
        foreach (float v in envelope)
        {
            any |= v != 0;
        }

        if (!any)
        {
            return 0;
        }

        int window = (int)Math.Floor(WindowSeconds * sampleRate / hopLength);
        double[] meanAutocorrelation = MeanTempogram(envelope, window, pool, cancellationToken);

        double best = double.NegativeInfinity;
        int bestLag = 0;
        for (int lag = 1; lag < window; lag++)
        {
            double bpm = 60.0 * sampleRate / (hopLength * (double)lag);
            double logPrior = -0.5 * Math.Pow((Math.Log2(bpm) - Math.Log2(StartBpm)) / StdOctaves, 2);
            double score = bpm >= MaxBpm ? double.NegativeInfinity : Math.Log(1 + (1e6 * meanAutocorrelation[lag])) + logPrior;
            if (score > best)
            {
                best = score;
                bestLag = lag;
            }
        }

        if (bestLag == 0)
        {
            return 0;
        }

        return 60.0 * sampleRate / (hopLength * (double)bestLag);
    }

    /// <summary>The tempogram averaged over frames: centred windows, the envelope padded by linear ramps to zero.</summary>
    private static double[] MeanTempogram(ReadOnlySpan<float> envelope, int window, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        int n = envelope.Length;
        int half = window / 2;
        int fftSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * window));
        RealFftPlan fft = RealFftPlan.For(fftSize);
        float[] hann = Windows.Hann(window);
        int bins = fft.BinCount;
        float[] padded = pool.Rent(n + (2 * half));
        float[] work = pool.Rent((3 * fftSize) + (2 * bins));
        try
        {
            // numpy's pad(mode='linear_ramp', end_values=0): rising from 0 towards the first value, falling after the last.
            Span<float> signal = padded.AsSpan(0, n + (2 * half));
            for (int i = 0; i < half; i++)
            {
                signal[i] = envelope[0] * i / half;
                signal[half + n + i] = envelope[n - 1] * (half - i) / half;
            }

            envelope.CopyTo(signal[half..]);

            Span<float> frame = work.AsSpan(0, fftSize);
            Span<float> scratch = work.AsSpan(fftSize, fftSize);
            Span<float> autocorrelation = work.AsSpan(2 * fftSize, fftSize);
            Span<float> re = work.AsSpan(3 * fftSize, bins);
            Span<float> im = work.AsSpan((3 * fftSize) + bins, bins);

            // Each frame's autocorrelation, normalised by its peak (norm = inf; the peak of an autocorrelation is its
            // lag 0, the frame's energy), is the inverse FFT of its power spectrum over that energy. The inverse is
            // linear, so the mean of the normalised autocorrelations is one inverse FFT of the mean normalised power
            // spectrum: one forward FFT per frame instead of a forward and an inverse.
            var meanPower = new double[bins];
            for (int t = 0; t < n; t++)
            {
                if ((t & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                frame.Clear();
                TensorPrimitives.Multiply(signal.Slice(t, window), hann, frame[..window]);
                float energy = TensorPrimitives.SumOfSquares(frame[..window]);
                if (energy < 1.17549435E-38f)
                {
                    continue; // A frame with no energy has an all-zero autocorrelation, whatever it is divided by.
                }

                fft.Forward(frame, scratch, re, im);
                for (int k = 0; k < bins; k++)
                {
                    meanPower[k] += ((re[k] * re[k]) + (im[k] * im[k])) / energy;
                }
            }

            for (int k = 0; k < bins; k++)
            {
                re[k] = (float)(meanPower[k] / n);
            }

            im.Clear();
            fft.Inverse(re, im, scratch, autocorrelation);
            var sum = new double[window];
            for (int lag = 0; lag < window; lag++)
            {
                sum[lag] = autocorrelation[lag];
            }

            return sum;
        }
        finally
        {
            pool.Return(padded);
            pool.Return(work);
        }
    }
}
