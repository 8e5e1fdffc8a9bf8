using System.Buffers;
using MusicClassification.Dsp.Fft;
using MusicClassification.Dsp;

namespace MusicClassification.Features.Tonal;

/// <summary>
/// librosa's <c>chroma_stft</c> with its defaults: the power spectrogram (n_fft 2048, hop 512), tuning estimated from
/// it, projected on the 12 pitch classes and each frame scaled so its strongest class is 1. Two passes over the frames
/// (tuning first), recomputing the FFT rather than holding the spectrogram.
/// </summary>
internal static class ChromaStft
{
    /// <summary>
    /// The chromagram from a power spectrogram already computed (frames × bins, frame-major) and its tuning, as the GTZAN
    /// pass does: no STFT of its own.
    /// </summary>
    public static void FromPower(ReadOnlySpan<float> power, int frames, int sampleRate, int fftSize, double tuning, Span<float> chroma, CancellationToken cancellationToken)
    {
        int bins = (fftSize / 2) + 1;
        ChromaFilterBank bank = ChromaFilterBank.For(sampleRate, fftSize, tuning);
        for (int t = 0; t < frames; t++)
        {
            if ((t & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Project(bank, power.Slice(t * bins, bins), chroma.Slice(t * ChromaFilterBank.Classes, ChromaFilterBank.Classes));
        }
    }

    /// <summary>Computes the chromagram into <paramref name="chroma"/> (12 values per frame, frame-major) and returns the tuning used.</summary>
    public static double Compute(ReadOnlySpan<float> signal, int sampleRate, StftFraming framing, Span<float> chroma, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        RealFftPlan fft = RealFftPlan.For(framing.FrameLength);
        int frames = framing.FrameCount(signal.Length);
        float[] work = pool.Rent(framing.WorkspaceLength + fft.BinCount);
        try
        {
            Span<float> workspace = work.AsSpan(0, framing.WorkspaceLength);
            Span<float> power = work.AsSpan(framing.WorkspaceLength, fft.BinCount);
            var tuning = new TuningEstimator(sampleRate, framing.FrameLength);
            for (int t = 0; t < frames; t++)
            {
                if ((t & 63) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                framing.PowerSpectrum(signal, t, fft, workspace, power);
                tuning.AddFrame(power);
            }

            double estimated = tuning.Estimate();
            ChromaFilterBank bank = ChromaFilterBank.For(sampleRate, framing.FrameLength, estimated);
            for (int t = 0; t < frames; t++)
            {
                if ((t & 63) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                framing.PowerSpectrum(signal, t, fft, workspace, power);
                Project(bank, power, chroma.Slice(t * ChromaFilterBank.Classes, ChromaFilterBank.Classes));
            }

            return estimated;
        }
        finally
        {
            pool.Return(work);
        }
    }

    /// <summary>One frame: the 12 pitch-class energies, scaled so the strongest is 1 (librosa's norm=inf).</summary>
    private static void Project(ChromaFilterBank bank, ReadOnlySpan<float> power, Span<float> row)
    {
        bank.Apply(power, row);
        float max = System.Numerics.Tensors.TensorPrimitives.Max(row);
        if (max > float.Epsilon)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(row, max, row);
        }
    }
}
