using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using MusicClassification.Dsp.Fft;

namespace MusicClassification.Dsp;

/// <summary>
/// The unbiased autocorrelation r[k] = Σ x[n]·x[n+k] / (N − k) (Essentia's <c>AutoCorrelation</c> with
/// <c>normalization='unbiased'</c>), computed as the inverse FFT of the power spectrum of the signal zero-padded to a
/// power of two. Only the lags asked for are computed: a transform of N + L points already keeps lags below L free of
/// the circular wrap, so a few lags of a long signal cost half of what all of them would.
/// </summary>
internal static class Autocorrelation
{
    /// <summary>Writes lags 0 … <c>lags.Length</c> − 1 of <paramref name="signal"/>'s unbiased autocorrelation.</summary>
    public static void Unbiased(ReadOnlySpan<float> signal, Span<float> lags, ArrayPool<float> pool)
    {
        int n = signal.Length;
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, n + Math.Min(n, lags.Length)));
        RealFftPlan fft = RealFftPlan.For(size);
        int bins = fft.BinCount;
        float[] work = pool.Rent((3 * size) + (2 * bins));
        try
        {
            Span<float> padded = work.AsSpan(0, size);
            Span<float> scratch = work.AsSpan(size, size);
            Span<float> output = work.AsSpan(2 * size, size);
            Span<float> re = work.AsSpan(3 * size, bins);
            Span<float> im = work.AsSpan((3 * size) + bins, bins);
            signal.CopyTo(padded);
            padded[n..].Clear();
            fft.Forward(padded, scratch, re, im);
            TensorPrimitives.Multiply(re, re, re);
            TensorPrimitives.MultiplyAdd(im, im, re, re);
            im.Clear();
            fft.Inverse(re, im, scratch, output);
            for (int k = 0; k < lags.Length; k++)
            {
                lags[k] = k < n ? output[k] / (n - k) : 0;
            }
        }
        finally
        {
            pool.Return(work);
        }
    }
}
