using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MusicClassification.Dsp.Fft;

/// <summary>
/// An immutable radix-2 complex FFT plan (bit-reversal table and per-stage twiddles) for one power-of-two size, shared
/// by every thread. The data lives in caller-owned split real/imaginary spans, so concurrent calls never share scratch.
/// </summary>
internal sealed class FftPlan
{
    private static readonly ConcurrentDictionary<int, FftPlan> Cache = new();
    private readonly int[] _swapPairs;
    private readonly int[]? _octetPairs;

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
        _octetPairs = BitReversedOctets.IsSupported(size) ? BitReversedOctets.BlockPairs(size) : null;
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
    public void Forward(Span<float> re, Span<float> im) => Transform(re, im, fused: _octetPairs is not null);

    /// <summary>
    /// <see cref="Forward"/> with the bit-reversal and the first stages done one after another, as where the CPU has no
    /// AVX: the reference <see cref="BitReversedOctets"/> is tested against bit for bit.
    /// </summary>
    internal void ForwardOneByOne(Span<float> re, Span<float> im) => Transform(re, im, fused: false);

    private void Transform(Span<float> re, Span<float> im, bool fused)
    {
        if (re.Length != Size || im.Length != Size)
        {
            throw new ArgumentException($"Both spans must hold {Size} values.");
        }

        // Lengths were checked once above: the loops below index through references, without a bounds check per access.
        ref float r = ref MemoryMarshal.GetReference(re);
        ref float i = ref MemoryMarshal.GetReference(im);
        int m;
        if (fused)
        {
            BitReversedOctets.Run(ref r, ref i, Size, _octetPairs!, ref _twiddleRe[3], ref _twiddleIm[3]);
            m = 8;
        }
        else
        {
            m = FirstStagesOneByOne(ref r, ref i);
        }

        for (; m < Size; m <<= 1)
        {
            Stage(ref r, ref i, m);
        }
    }

    /// <summary>The bit-reversal swaps, then the first two stages fused; returns the half-size of the next stage.</summary>
    private int FirstStagesOneByOne(ref float r, ref float i)
    {
        int[] swaps = _swapPairs;
        for (int p = 0; p < swaps.Length; p += 2)
        {
            int a = swaps[p];
            int b = swaps[p + 1];
            (Unsafe.Add(ref r, a), Unsafe.Add(ref r, b)) = (Unsafe.Add(ref r, b), Unsafe.Add(ref r, a));
            (Unsafe.Add(ref i, a), Unsafe.Add(ref i, b)) = (Unsafe.Add(ref i, b), Unsafe.Add(ref i, a));
        }

        if (Size < 4)
        {
            return 1;
        }

        // The first two radix-2 stages fused: their twiddles are 1 and −i, so no multiplication is needed.
        FirstTwoStages(ref r, ref i, Size);
        return 4;
    }

    private void Stage(ref float r, ref float i, int m)
    {
        if (m >= Vector<float>.Count)
        {
            VectorStage(ref r, ref i, m);
        }
        else if (m == 4 && Vector128.IsHardwareAccelerated)
        {
            Stage4(ref r, ref i);
        }
        else
        {
            ScalarStage(ref r, ref i, m);
        }
    }

    private static void FirstTwoStages(ref float r, ref float i, int size)
    {
        for (int k = 0; k < size; k += 4)
        {
            float x0r = Unsafe.Add(ref r, k), x0i = Unsafe.Add(ref i, k);
            float x1r = Unsafe.Add(ref r, k + 1), x1i = Unsafe.Add(ref i, k + 1);
            float x2r = Unsafe.Add(ref r, k + 2), x2i = Unsafe.Add(ref i, k + 2);
            float x3r = Unsafe.Add(ref r, k + 3), x3i = Unsafe.Add(ref i, k + 3);
            float a0r = x0r + x1r, a0i = x0i + x1i;
            float a1r = x0r - x1r, a1i = x0i - x1i;
            float a2r = x2r + x3r, a2i = x2i + x3i;
            float a3r = x2r - x3r, a3i = x2i - x3i;

            // a3 · (−i) = (a3i, −a3r).
            Unsafe.Add(ref r, k) = a0r + a2r;
            Unsafe.Add(ref i, k) = a0i + a2i;
            Unsafe.Add(ref r, k + 2) = a0r - a2r;
            Unsafe.Add(ref i, k + 2) = a0i - a2i;
            Unsafe.Add(ref r, k + 1) = a1r + a3i;
            Unsafe.Add(ref i, k + 1) = a1i - a3r;
            Unsafe.Add(ref r, k + 3) = a1r - a3i;
            Unsafe.Add(ref i, k + 3) = a1i + a3r;
        }
    }

    /// <summary>The stage of half-size 4 on 128-bit vectors: each group's four butterflies at once.</summary>
    private void Stage4(ref float r, ref float i)
    {
        Vector128<float> twRe = Vector128.LoadUnsafe(ref _twiddleRe[3]);
        Vector128<float> twIm = Vector128.LoadUnsafe(ref _twiddleIm[3]);
        for (nuint top = 0; top < (nuint)Size; top += 8)
        {
            nuint bottom = top + 4;
            Vector128<float> xRe = Vector128.LoadUnsafe(ref r, bottom);
            Vector128<float> xIm = Vector128.LoadUnsafe(ref i, bottom);
            Vector128<float> bRe = (xRe * twRe) - (xIm * twIm);
            Vector128<float> bIm = (xRe * twIm) + (xIm * twRe);
            Vector128<float> aRe = Vector128.LoadUnsafe(ref r, top);
            Vector128<float> aIm = Vector128.LoadUnsafe(ref i, top);
            (aRe + bRe).StoreUnsafe(ref r, top);
            (aIm + bIm).StoreUnsafe(ref i, top);
            (aRe - bRe).StoreUnsafe(ref r, bottom);
            (aIm - bIm).StoreUnsafe(ref i, bottom);
        }
    }

    private void ScalarStage(ref float r, ref float i, int m)
    {
        ref float wRe = ref _twiddleRe[m - 1];
        ref float wIm = ref _twiddleIm[m - 1];
        for (int start = 0; start < Size; start += 2 * m)
        {
            for (int j = 0; j < m; j++)
            {
                int top = start + j;
                int bottom = top + m;
                float tr = Unsafe.Add(ref wRe, j);
                float ti = Unsafe.Add(ref wIm, j);
                float xr = Unsafe.Add(ref r, bottom);
                float xi = Unsafe.Add(ref i, bottom);
                float bRe = (xr * tr) - (xi * ti);
                float bIm = (xr * ti) + (xi * tr);
                float ar = Unsafe.Add(ref r, top);
                float ai = Unsafe.Add(ref i, top);
                Unsafe.Add(ref r, bottom) = ar - bRe;
                Unsafe.Add(ref i, bottom) = ai - bIm;
                Unsafe.Add(ref r, top) = ar + bRe;
                Unsafe.Add(ref i, top) = ai + bIm;
            }
        }
    }

    private void VectorStage(ref float r, ref float i, int m)
    {
        int width = Vector<float>.Count;
        ref float wRe = ref _twiddleRe[m - 1];
        ref float wIm = ref _twiddleIm[m - 1];
        for (int start = 0; start < Size; start += 2 * m)
        {
            for (int j = 0; j < m; j += width)
            {
                nuint top = (nuint)(start + j);
                nuint bottom = top + (nuint)m;
                Vector<float> twRe = Vector.LoadUnsafe(ref wRe, (nuint)j);
                Vector<float> twIm = Vector.LoadUnsafe(ref wIm, (nuint)j);
                Vector<float> xRe = Vector.LoadUnsafe(ref r, bottom);
                Vector<float> xIm = Vector.LoadUnsafe(ref i, bottom);
                Vector<float> bRe = (xRe * twRe) - (xIm * twIm);
                Vector<float> bIm = (xRe * twIm) + (xIm * twRe);
                Vector<float> aRe = Vector.LoadUnsafe(ref r, top);
                Vector<float> aIm = Vector.LoadUnsafe(ref i, top);
                (aRe + bRe).StoreUnsafe(ref r, top);
                (aIm + bIm).StoreUnsafe(ref i, top);
                (aRe - bRe).StoreUnsafe(ref r, bottom);
                (aIm - bIm).StoreUnsafe(ref i, bottom);
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
