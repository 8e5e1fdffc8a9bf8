using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Fft;

namespace MusicClassification.Features.Harmonic;

/// <summary>
/// librosa's <c>effects.hpss</c> with its defaults: the magnitude STFT is median-filtered over 31 frames (harmonic)
/// and over 31 bins (percussive); soft masks (power 2, an even split where both are zero) are applied to the complex
/// STFT, and each part is brought back to the time domain by an inverse STFT (windowed overlap-add divided by the
/// window's sum of squares). Returns the moments of both signals. Stateless; buffers are rented per call.
/// </summary>
/// <remarks>
/// Three things keep it cheap without changing what it computes. It starts from the power spectrogram the GTZAN pass
/// already holds (one frames × bins matrix, turned into magnitudes and median-filtered over time in place: it becomes
/// the harmonic part). Both medians run on <see cref="LaneMedianFilter"/>, a vector's width of series at once (bins
/// for the time median, frames for the bin median). And only the harmonic part is inverted: the two soft masks sum to
/// one, so the percussive signal is the signal minus the harmonic one (the inverse STFT of the whole STFT is the signal
/// itself: Hann windows at a quarter hop, divided by their summed squares, reconstruct it exactly, up to float rounding).
/// </remarks>
internal static class HarmonicPercussiveSeparation
{
    public const int KernelSize = 31;

    /// <summary>numpy's tiny(float32), librosa's threshold for "zero" in soft masks and the inverse STFT's envelope.</summary>
    private const float SmallestNormal = 1.17549435E-38f;

    /// <summary>Separates <paramref name="signal"/>, computing its power spectrogram first.</summary>
    public static (Moments Harmonic, Moments Percussive) Separate(ReadOnlySpan<float> signal, StftFraming framing, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        RealFftPlan fft = RealFftPlan.For(framing.FrameLength);
        int frames = framing.FrameCount(signal.Length);
        int bins = fft.BinCount;
        float[] power = pool.Rent(frames * bins);
        float[] workspace = pool.Rent(framing.WorkspaceLength);
        try
        {
            for (int t = 0; t < frames; t++)
            {
                framing.PowerSpectrum(signal, t, fft, workspace, power.AsSpan(t * bins, bins));
            }

            return Separate(signal, framing, power.AsSpan(0, frames * bins), pool, cancellationToken);
        }
        finally
        {
            pool.Return(power);
            pool.Return(workspace);
        }
    }

    /// <summary>
    /// Separates <paramref name="signal"/> given its power spectrogram (<see cref="StftFraming.PowerSpectrum"/> of every
    /// frame, frame-major), which is overwritten (it becomes the harmonic magnitudes).
    /// </summary>
    public static (Moments Harmonic, Moments Percussive) Separate(
        ReadOnlySpan<float> signal, StftFraming framing, Span<float> power, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        RealFftPlan fft = RealFftPlan.For(framing.FrameLength);
        int frames = framing.FrameCount(signal.Length);
        int bins = fft.BinCount;
        int n = framing.FrameLength;
        int hop = framing.HopLength;
        int lanes = LaneMedianFilter.Lanes;
        int padded = n + (hop * (frames - 1));
        Span<float> harmonic = power[..(frames * bins)];
        TensorPrimitives.Sqrt(harmonic, harmonic);

        float[] outputs = pool.Rent(2 * padded);
        int lineLength = Math.Max(frames, bins) * lanes;
        float[] lines = pool.Rent(2 * lineLength);
        float[] spectra = pool.Rent(2 * lanes * bins);
        float[] work = pool.Rent((3 * n) + (3 * bins));
        Span<float> window = stackalloc float[LaneMedianFilter.ScratchLength(KernelSize)];
        try
        {
            Span<float> lineIn = lines.AsSpan(0, lineLength);
            Span<float> lineOut = lines.AsSpan(lineLength, lineLength);
            MedianOverTime(harmonic, frames, bins, lineIn, lineOut, window);
            cancellationToken.ThrowIfCancellationRequested();

            Span<float> frame = work.AsSpan(0, n);
            Span<float> scratch = work.AsSpan(n, n);
            Span<float> timeFrame = work.AsSpan(2 * n, n);
            Span<float> maskedRe = work.AsSpan(3 * n, bins);
            Span<float> maskedIm = work.AsSpan((3 * n) + bins, bins);
            Span<float> percussiveRow = work.AsSpan((3 * n) + (2 * bins), bins);
            Span<float> yHarmonic = outputs.AsSpan(0, padded);
            Span<float> envelope = outputs.AsSpan(padded, padded);
            yHarmonic.Clear();
            envelope.Clear();
            ReadOnlySpan<float> hann = framing.Window.Span;

            // Frames a vector's width at a time: their spectra are kept for the masks, their magnitudes interleaved so
            // one lane filter takes the median over bins of every frame of the group.
            for (int first = 0; first < frames; first += lanes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int group = Math.Min(lanes, frames - first);
                Span<float> magnitudes = lineIn[..(bins * lanes)];
                magnitudes.Clear();
                for (int l = 0; l < group; l++)
                {
                    Span<float> re = spectra.AsSpan(l * bins, bins);
                    Span<float> im = spectra.AsSpan((lanes + l) * bins, bins);
                    framing.WindowedFrame(signal, first + l, frame);
                    fft.Forward(frame, scratch, re, im);
                    TensorPrimitives.Multiply(re, re, percussiveRow);
                    TensorPrimitives.MultiplyAdd(im, im, percussiveRow, percussiveRow);
                    TensorPrimitives.Sqrt(percussiveRow, percussiveRow);
                    for (int k = 0; k < bins; k++)
                    {
                        magnitudes[(k * lanes) + l] = percussiveRow[k];
                    }
                }

                LaneMedianFilter.Apply(magnitudes, lineOut, bins, KernelSize, window);
                for (int l = 0; l < group; l++)
                {
                    int t = first + l;
                    ReadOnlySpan<float> re = spectra.AsSpan(l * bins, bins);
                    ReadOnlySpan<float> im = spectra.AsSpan((lanes + l) * bins, bins);
                    ReadOnlySpan<float> h = harmonic.Slice(t * bins, bins);
                    for (int k = 0; k < bins; k++)
                    {
                        percussiveRow[k] = lineOut[(k * lanes) + l];
                    }

                    SoftMask(h, percussiveRow, maskedIm);
                    TensorPrimitives.Multiply(re, maskedIm, maskedRe);
                    TensorPrimitives.Multiply(im, maskedIm, maskedIm);

                    fft.Inverse(maskedRe, maskedIm, scratch, timeFrame);
                    Span<float> target = yHarmonic.Slice(t * hop, n);
                    TensorPrimitives.MultiplyAdd(timeFrame, hann, target, target);
                    Span<float> envelopeSlice = envelope.Slice(t * hop, n);
                    TensorPrimitives.MultiplyAdd(hann, hann, envelopeSlice, envelopeSlice);
                }
            }

            // The centred frames start n/2 before the signal: the signal is samples [n/2, n/2 + length) of the sum.
            int offset = n / 2;
            int length = signal.Length;
            Span<float> harmonicSignal = yHarmonic.Slice(offset, length);
            ReadOnlySpan<float> env = envelope.Slice(offset, length);
            Span<float> percussiveSignal = envelope.Slice(offset, length);
            if (length > 0 && TensorPrimitives.Min(env) > SmallestNormal)
            {
                // Every sample is covered by a window (always, for signals longer than a hop): divide all at once.
                TensorPrimitives.Divide(harmonicSignal, env, harmonicSignal);
                TensorPrimitives.Subtract(signal, harmonicSignal, percussiveSignal);
            }
            else
            {
                for (int i = 0; i < length; i++)
                {
                    float value = env[i] > SmallestNormal ? harmonicSignal[i] / env[i] : harmonicSignal[i];
                    harmonicSignal[i] = value;
                    percussiveSignal[i] = signal[i] - value;
                }
            }

            return (Moments.Of(harmonicSignal), Moments.Of(percussiveSignal));
        }
        finally
        {
            pool.Return(outputs);
            pool.Return(lines);
            pool.Return(spectra);
            pool.Return(work);
        }
    }

    /// <summary>The median over 31 frames of every bin, in place, a vector's width of bins at a time.</summary>
    private static void MedianOverTime(Span<float> magnitudes, int frames, int bins, Span<float> lineIn, Span<float> lineOut, Span<float> window)
    {
        int lanes = LaneMedianFilter.Lanes;
        for (int first = 0; first < bins; first += lanes)
        {
            int group = Math.Min(lanes, bins - first);
            Span<float> input = lineIn[..(frames * lanes)];
            Span<float> output = lineOut[..(frames * lanes)];
            for (int t = 0; t < frames; t++)
            {
                Span<float> cell = input.Slice(t * lanes, lanes);
                magnitudes.Slice((t * bins) + first, group).CopyTo(cell);
                cell[group..].Clear();
            }

            LaneMedianFilter.Apply(input, output, frames, KernelSize, window);
            for (int t = 0; t < frames; t++)
            {
                output.Slice(t * lanes, group).CopyTo(magnitudes.Slice((t * bins) + first, group));
            }
        }
    }

    /// <summary>
    /// librosa's <c>softmask(own, other, power=2, split_zeros=True)</c> for a whole row, vectorised: the same IEEE
    /// operations per bin as the scalar definition (scale both by their maximum, square, divide), 0.5 where both are zero.
    /// </summary>
    private static void SoftMask(ReadOnlySpan<float> own, ReadOnlySpan<float> other, Span<float> mask)
    {
        int k = 0;
        var tiny = new Vector<float>(SmallestNormal);
        var half = new Vector<float>(0.5f);
        for (; k + Vector<float>.Count <= own.Length; k += Vector<float>.Count)
        {
            var o = new Vector<float>(own[k..]);
            var p = new Vector<float>(other[k..]);
            Vector<float> z = Vector.Max(o, p);
            Vector<float> a = o / z;
            Vector<float> b = p / z;
            a *= a;
            b *= b;
            Vector.ConditionalSelect(Vector.LessThan(z, tiny), half, a / (a + b)).CopyTo(mask[k..]);
        }

        for (; k < own.Length; k++)
        {
            float z = Math.Max(own[k], other[k]);
            if (z < SmallestNormal)
            {
                mask[k] = 0.5f;
                continue;
            }

            float a = own[k] / z;
            float b = other[k] / z;
            a *= a;
            b *= b;
            mask[k] = a / (a + b);
        }
    }
}
