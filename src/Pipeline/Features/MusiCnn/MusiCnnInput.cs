using System.Buffers;
using System.Numerics.Tensors;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Fft;
using MusicClassification.Features.Mfcc;

namespace MusicClassification.Features.MusiCnn;

/// <summary>
/// The log-mel patches MusiCNN models read, as Essentia's <c>TensorflowPredictMusiCNN</c> makes them: mono 16 kHz
/// audio cut by Essentia's <c>FrameCutter</c> with its defaults (frames of 512 samples every 256, the first centred on
/// sample 0, zeros outside the signal, a frame for every start before the end), a symmetric Hann window (not
/// normalised), the power spectrum (257 bins), 96 Slaney mel bands from 0 to 8 kHz with unit-area triangles, then
/// log10(1 + 10 000·x); patches of 187 consecutive frames (≈3 s) with no overlap, a last partial patch dropped.
/// Stateless; the tables are immutable and shared.
/// </summary>
internal static class MusiCnnInput
{
    public const int SampleRate = 16_000;
    public const int FrameSize = 512;
    public const int HopSize = 256;
    public const int Bands = 96;
    public const int PatchFrames = 187;
    public const int PatchLength = PatchFrames * Bands;

    /// <summary>The most samples one patch reads: 187 frames of 512 every 256.</summary>
    public const int PatchSpanLength = ((PatchFrames - 1) * HopSize) + FrameSize;

    private static readonly float[] Window = Windows.SymmetricHann(FrameSize);
    private static readonly RealFftPlan Fft = RealFftPlan.For(FrameSize);
    private static readonly MelFilterBank Mel = MelFilterBank.For(SampleRate, FrameSize, Bands, 0, 8000);

    /// <summary>Frames start at k·256 − 256 while the start is inside the signal.</summary>
    public static int FrameCount(int samples) => samples <= 0 ? 0 : 1 + ((samples + HopSize - 1) / HopSize);

    /// <summary>Complete patches; a signal with frames but too short for one patch is one patch padded with silence.</summary>
    public static int PatchCount(int samples)
    {
        int frames = FrameCount(samples);
        return frames == 0 ? 0 : Math.Max(1, frames / PatchFrames);
    }

    /// <summary>Writes <see cref="PatchCount"/> patches ([patch][frame][band], row-major) into <paramref name="patches"/>.</summary>
    public static int Compute(ReadOnlySpan<float> signal, Span<float> patches, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        int count = PatchCount(signal.Length);
        for (int i = 0; i < count; i++)
        {
            ComputePatch(signal, i, patches.Slice(i * PatchLength, PatchLength), pool, cancellationToken);
        }

        return count;
    }

    /// <summary>
    /// Writes patch <paramref name="index"/> alone (187 × 96 values) into <paramref name="patch"/>. Frames past the
    /// signal's last frame are zero, which is silence after the log compression: essentia.js pads a short input so.
    /// </summary>
    public static void ComputePatch(ReadOnlySpan<float> signal, int index, Span<float> patch, ArrayPool<float> pool, CancellationToken cancellationToken) =>
        ComputePatch(signal, 0, signal.Length, index, patch, pool, cancellationToken);

    /// <summary>
    /// As <see cref="ComputePatch(ReadOnlySpan{float}, int, Span{float}, ArrayPool{float}, CancellationToken)"/> for a signal of
    /// <paramref name="signalLength"/> samples of which only <paramref name="span"/>, starting at sample
    /// <paramref name="spanStart"/>, is given; it must hold the part of <see cref="PatchSpan"/> inside the signal.
    /// </summary>
    public static void ComputePatch(ReadOnlySpan<float> span, int spanStart, int signalLength, int index, Span<float> patch, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        int first = index * PatchFrames;
        int frames = Math.Clamp(FrameCount(signalLength) - first, 0, PatchFrames);
        ComputeFrames(span, spanStart, signalLength, first, frames, patch, pool, cancellationToken);
        patch[(frames * Bands)..PatchLength].Clear();
    }

    /// <summary>The samples patch <paramref name="index"/> reads, clipped to the signal: [Start, Start + Length).</summary>
    public static (int Start, int Length) PatchSpan(int signalLength, int index)
    {
        int start = Math.Max(0, (index * PatchFrames * HopSize) - (FrameSize / 2));
        int end = Math.Min(signalLength, ((((index + 1) * PatchFrames) - 1) * HopSize) + (FrameSize / 2));
        return (start, Math.Max(0, end - start));
    }

    private static void ComputeFrames(ReadOnlySpan<float> span, int spanStart, int signalLength, int firstFrame, int frames, Span<float> output, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        int bins = Fft.BinCount;
        float[] work = pool.Rent((2 * FrameSize) + (3 * bins));
        try
        {
            Span<float> frame = work.AsSpan(0, FrameSize);
            Span<float> scratch = work.AsSpan(FrameSize, FrameSize);
            Span<float> re = work.AsSpan(2 * FrameSize, bins);
            Span<float> im = work.AsSpan((2 * FrameSize) + bins, bins);
            Span<float> power = work.AsSpan((2 * FrameSize) + (2 * bins), bins);
            for (int t = 0; t < frames; t++)
            {
                if ((t & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                CutFrame(span, spanStart, signalLength, ((firstFrame + t) * HopSize) - (FrameSize / 2), frame);
                TensorPrimitives.Multiply(frame, Window, frame);
                Fft.Forward(frame, scratch, re, im);
                TensorPrimitives.Multiply(re, re, power);
                TensorPrimitives.MultiplyAdd(im, im, power, power);
                Span<float> bands = output.Slice(t * Bands, Bands);
                Mel.Apply(power, bands);

                // log10(1 + 10 000·x)
                TensorPrimitives.Multiply(bands, 10_000f, bands);
                TensorPrimitives.Add(bands, 1f, bands);
                TensorPrimitives.Log10(bands, bands);
            }
        }
        finally
        {
            pool.Return(work);
        }
    }

    /// <summary>The <see cref="FrameSize"/> samples from <paramref name="start"/> (which may be negative), zeros outside the signal.</summary>
    private static void CutFrame(ReadOnlySpan<float> span, int spanStart, int signalLength, int start, Span<float> frame)
    {
        int from = Math.Max(start, 0);
        int to = Math.Min(start + FrameSize, signalLength);
        frame.Clear();
        if (to > from)
        {
            span[(from - spanStart)..(to - spanStart)].CopyTo(frame[(from - start)..]);
        }
    }
}
