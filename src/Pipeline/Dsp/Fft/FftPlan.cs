using System.Collections.Concurrent;
using System.Numerics;

namespace MusicClassification.Dsp.Fft;

/// <summary>
/// An immutable radix-2 complex FFT plan (bit-reversal table and per-stage twiddles) for one power-of-two size, shared
/// by every thread. The data lives in caller-owned split real/imaginary spans, so concurrent calls never share scratch.
/// </summary>
internal sealed class FftPlan
{
    private static readonly ConcurrentDictionary<int, FftPlan> Cache = new();
    private readonly int[] _swapPairs;

    // Twiddles for the stage of half-size m live at [m - 1, 2m - 1): w_j = exp(−2πi·j / 2m).
    private readonly float[] _twiddleRe;
    private readonly float[] _twiddleIm;

    private FftPlan(int size)
    {
        Size = size;
        int bits = BitOperations.Log2((uint)size);
        var swaps = new List<int>();
        for (int i = 0; i < size; i++)
        {
            int j = (int)(ReverseBits((uint)i) >> (32 - bits));
            if (j > i)
            {
                swaps.Add(i);
                swaps.Add(j);
            }
        }

        _swapPairs = [.. swaps];
        _twiddleRe = new float[Math.Max(1, size - 1)];
        _twiddleIm = new float[Math.Max(1, size - 1)];
        for (int m = 1; m < size; m <<= 1)
        {
            for (int j = 0; j < m; j++)
            {
                double angle = -Math.PI * j / m;
                _twiddleRe[m - 1 + j] = (float)Math.Cos(angle);
                _twiddleIm[m - 1 + j] = (float)Math.Sin(angle);
            }
        }
    }

    public int Size { get; }

    public static FftPlan For(int size)
    {
        if (size < 1 || !BitOperations.IsPow2(size))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The FFT size must be a power of two.");
        }

        return Cache.GetOrAdd(size, static n => new FftPlan(n));
    }

    /// <summary>In-place forward transform (no scaling) of the complex sequence <paramref name="re"/> + i·<paramref name="im"/>.</summary>
    public void Forward(Span<float> re, Span<float> im)
    {
        if (re.Length != Size || im.Length != Size)
        {
            throw new ArgumentException($"Both spans must hold {Size} values.");
        }

        int[] swaps = _swapPairs;
        for (int p = 0; p < swaps.Length; p += 2)
        {
            int a = swaps[p];
            int b = swaps[p + 1];
            (re[a], re[b]) = (re[b], re[a]);
            (im[a], im[b]) = (im[b], im[a]);
        }

        for (int m = 1; m < Size; m <<= 1)
        {
            ReadOnlySpan<float> wRe = _twiddleRe.AsSpan(m - 1, m);
            ReadOnlySpan<float> wIm = _twiddleIm.AsSpan(m - 1, m);
            if (m >= Vector<float>.Count)
            {
                VectorStage(re, im, wRe, wIm, m);
            }
            else
            {
                ScalarStage(re, im, wRe, wIm, m);
            }
        }
    }

    private static void ScalarStage(Span<float> re, Span<float> im, ReadOnlySpan<float> wRe, ReadOnlySpan<float> wIm, int m)
    {
        for (int start = 0; start < re.Length; start += 2 * m)
        {
            for (int j = 0; j < m; j++)
            {
                int top = start + j;
                int bottom = top + m;
                float bRe = (re[bottom] * wRe[j]) - (im[bottom] * wIm[j]);
                float bIm = (re[bottom] * wIm[j]) + (im[bottom] * wRe[j]);
                re[bottom] = re[top] - bRe;
                im[bottom] = im[top] - bIm;
                re[top] += bRe;
                im[top] += bIm;
            }
        }
    }

    private static void VectorStage(Span<float> re, Span<float> im, ReadOnlySpan<float> wRe, ReadOnlySpan<float> wIm, int m)
    {
        int width = Vector<float>.Count;
        for (int start = 0; start < re.Length; start += 2 * m)
        {
            Span<float> topRe = re.Slice(start, m);
            Span<float> topIm = im.Slice(start, m);
            Span<float> bottomRe = re.Slice(start + m, m);
            Span<float> bottomIm = im.Slice(start + m, m);
            for (int j = 0; j < m; j += width)
            {
                var twRe = new Vector<float>(wRe[j..]);
                var twIm = new Vector<float>(wIm[j..]);
                var xRe = new Vector<float>(bottomRe[j..]);
                var xIm = new Vector<float>(bottomIm[j..]);
                Vector<float> bRe = (xRe * twRe) - (xIm * twIm);
                Vector<float> bIm = (xRe * twIm) + (xIm * twRe);
                var aRe = new Vector<float>(topRe[j..]);
                var aIm = new Vector<float>(topIm[j..]);
                (aRe + bRe).CopyTo(topRe[j..]);
                (aIm + bIm).CopyTo(topIm[j..]);
                (aRe - bRe).CopyTo(bottomRe[j..]);
                (aIm - bIm).CopyTo(bottomIm[j..]);
            }
        }
    }

    private static uint ReverseBits(uint value)
    {
        value = ((value >> 1) & 0x55555555u) | ((value & 0x55555555u) << 1);
        value = ((value >> 2) & 0x33333333u) | ((value & 0x33333333u) << 2);
        value = ((value >> 4) & 0x0F0F0F0Fu) | ((value & 0x0F0F0F0Fu) << 4);
        value = ((value >> 8) & 0x00FF00FFu) | ((value & 0x00FF00FFu) << 8);
        return (value >> 16) | (value << 16);
    }
}
