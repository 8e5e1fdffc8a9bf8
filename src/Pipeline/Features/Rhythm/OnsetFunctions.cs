using System.Buffers;
using System.Numerics.Tensors;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Fft;

namespace MusicClassification.Features.Rhythm;

/// <summary>The five onset detection functions of Essentia's multi-feature beat tracker, with their rates.</summary>
/// <param name="Complex">Bello's complex spectral difference, at the slow rate.</param>
/// <param name="Rms">The half-rectified rise of the spectrum's RMS, at the slow rate.</param>
/// <param name="MelFlux">The half-rectified rise of 40 mel bands in dB below 4 kHz, at the slow rate.</param>
/// <param name="BeatEmphasis">Davies' beat emphasis function, at the fast rate.</param>
/// <param name="InfoGain">Hainsworth's information gain between the spectra before and after, at the fast rate.</param>
/// <param name="SlowRate">Values per second of the first three (frames every half frame).</param>
/// <param name="FastRate">Values per second of the last two (frames every quarter frame).</param>
internal sealed record OnsetFunctions(float[] Complex, float[] Rms, float[] MelFlux, float[] BeatEmphasis, float[] InfoGain, double SlowRate, double FastRate)
{
    /// <summary>Essentia's frame: 2048 samples at 44.1 kHz; the power of two nearest the same 46 ms at other rates.</summary>
    public static int FrameLength(int sampleRate) => PowerOfTwo.Nearest(2048.0 / 44_100, sampleRate);

    /// <summary>
    /// Computes the five functions from one short-time Fourier transform: Hann frames (Essentia's, normalised) from the
    /// first sample every quarter frame, the last one the first to reach the end; the slow functions read every other frame.
    /// </summary>
    public static OnsetFunctions Compute(ReadOnlySpan<float> samples, int sampleRate, ArrayPool<float> pool, CancellationToken cancellationToken)
    {
        int size = FrameLength(sampleRate);
        int fastHop = size / 4;
        int slowHop = size / 2;
        int fastFrames = FrameCount(samples.Length, size, fastHop);
        int slowFrames = FrameCount(samples.Length, size, slowHop);
        RealFftPlan fft = RealFftPlan.For(size);
        int bins = fft.BinCount;
        double hzPerBin = (double)sampleRate / size;
        float[] window = Windows.NormalisedHann(size);

        var state = new SpectralState(bins, hzPerBin, sampleRate, size);
        var complexOdf = new float[slowFrames];
        var rms = new float[slowFrames];
        var melFlux = new float[slowFrames];
        var infoGain = new float[fastFrames];
        float[] erbBands = pool.Rent(fastFrames * ErbProjection.Stride);
        float[] work = pool.Rent((2 * size) + (2 * bins) + (ErbProjection.Block * bins));
        try
        {
            Span<float> frame = work.AsSpan(0, size);
            Span<float> scratch = work.AsSpan(size, size);
            Span<float> re = work.AsSpan(2 * size, bins);
            Span<float> im = work.AsSpan((2 * size) + bins, bins);

            // The beat emphasis's per-bin differences of the last few frames, projected onto the ERB bands together.
            Span<float> differences = work.AsSpan((2 * size) + (2 * bins), ErbProjection.Block * bins);
            int pending = 0;
            for (int k = 0; k < fastFrames; k++)
            {
                if ((k & 63) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                int start = k * fastHop;
                int available = Math.Min(size, samples.Length - start);
                TensorPrimitives.Multiply(samples.Slice(start, available), window.AsSpan(0, available), frame[..available]);
                frame[available..].Clear();
                fft.Forward(frame, scratch, re, im);
                state.Load(re, im);
                infoGain[k] = state.InfoGain();
                state.BeatEmphasisDifference(differences.Slice(pending * bins, bins));
                if (++pending == ErbProjection.Block || k == fastFrames - 1)
                {
                    int first = k + 1 - pending;
                    ErbProjection.Project(state.ErbWeights, bins, differences, pending, erbBands.AsSpan(first * ErbProjection.Stride, pending * ErbProjection.Stride));
                    pending = 0;
                }

                if ((k & 1) == 0 && k / 2 < slowFrames)
                {
                    int s = k / 2;
                    (complexOdf[s], rms[s], melFlux[s]) = state.SlowFunctions(s == 0);
                }

                state.Advance();
            }

            double fastRate = (double)sampleRate / fastHop;
            float[] beatEmphasis = Rhythm.BeatEmphasis.Combine(erbBands, ErbProjection.Stride, fastFrames, fastRate, pool);
            return new OnsetFunctions(complexOdf, rms, melFlux, beatEmphasis, infoGain, (double)sampleRate / slowHop, fastRate);
        }
        finally
        {
            pool.Return(work);
            pool.Return(erbBands);
        }
    }

    /// <summary>Frames from the first sample every <paramref name="hop"/>: the last is the first to reach the end (zero-padded).</summary>
    private static int FrameCount(int length, int size, int hop) =>
        length == 0 ? 0 : length <= size ? 1 : ((length - size + hop - 1) / hop) + 1;
}
