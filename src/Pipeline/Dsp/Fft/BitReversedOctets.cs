using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicClassification.Dsp.Fft;

/// <summary>
/// The bit-reversal permutation and the first three radix-2 stages of <see cref="FftPlan"/> in one pass, on 256-bit
/// vectors. Done one after another, the permutation is a scalar swap per pair and the stages of half-size 1 and 2 work
/// on four values at a time, which is most of a 512-point transform's time. Here the eight inputs of each group of eight
/// outputs sit at <c>h + t·N/8</c> (t = 0 … 7, h the group index bit-reversed), so eight groups with consecutive h are eight
/// vector loads; the three stages run lane by lane; an 8 × 8 transpose turns lanes into groups, which land at
/// <c>8·c′ + rev₃(l)·N/8</c>, the inputs of the block <c>c′ = rev(c)</c>. Blocks are therefore done in those pairs, each
/// read whole before either is written, so the pass stays in place. Same operations on the same values as the scalar
/// steps, in the same order: bit-identical results.
/// </summary>
internal static class BitReversedOctets
{
    /// <summary>Needs AVX and at least eight blocks of eight (64 points): one block pair per power-of-two step below that.</summary>
    public static bool IsSupported(int size) => Avx.IsSupported && size >= 64;

    /// <summary>The block pairs (c, rev(c)) with c ≤ rev(c), over the size's N/64 blocks, flattened.</summary>
    public static int[] BlockPairs(int size)
    {
        int blocks = size / 64;
        int bits = BitOperations.Log2((uint)blocks);
        var pairs = new List<int>();
        for (int c = 0; c < blocks; c++)
        {
            int mirror = bits == 0 ? 0 : (int)(ReverseLow((uint)c, bits));
            if (c <= mirror)
            {
                pairs.Add(c);
                pairs.Add(mirror);
            }
        }

        return [.. pairs];
    }

    /// <summary>
    /// Permutes <paramref name="r"/> + i·<paramref name="i"/> into bit-reversed order and runs the stages of half-size 1,
    /// 2 and 4, using the stage-4 twiddles <paramref name="twiddleRe"/> / <paramref name="twiddleIm"/> (w₀ … w₃).
    /// </summary>
    public static void Run(ref float r, ref float i, int size, int[] pairs, ref float twiddleRe, ref float twiddleIm)
    {
        var tw = new Twiddles(ref twiddleRe, ref twiddleIm);
        nuint stride = (nuint)(size / 8);
        for (int p = 0; p < pairs.Length; p += 2)
        {
            nuint first = (nuint)(8 * pairs[p]);
            nuint second = (nuint)(8 * pairs[p + 1]);
            Octet firstRe, firstIm;
            Compute(ref r, ref i, first, stride, in tw, out firstRe, out firstIm);
            if (first == second)
            {
                Store(ref r, first, stride, in firstRe);
                Store(ref i, first, stride, in firstIm);
                continue;
            }

            Octet secondRe, secondIm;
            Compute(ref r, ref i, second, stride, in tw, out secondRe, out secondIm);
            Store(ref r, second, stride, in firstRe);
            Store(ref i, second, stride, in firstIm);
            Store(ref r, first, stride, in secondRe);
            Store(ref i, first, stride, in secondIm);
        }
    }

    /// <summary>Eight groups' outputs, transposed: row l holds the eight outputs of lane l's group.</summary>
    private struct Octet
    {
        public Vector256<float> R0, R1, R2, R3, R4, R5, R6, R7;
    }

    private readonly struct Twiddles(ref float re, ref float im)
    {
        public readonly Vector256<float> Re0 = Vector256.Create(re), Re1 = Vector256.Create(Unsafe.Add(ref re, 1));
        public readonly Vector256<float> Re2 = Vector256.Create(Unsafe.Add(ref re, 2)), Re3 = Vector256.Create(Unsafe.Add(ref re, 3));
        public readonly Vector256<float> Im0 = Vector256.Create(im), Im1 = Vector256.Create(Unsafe.Add(ref im, 1));
        public readonly Vector256<float> Im2 = Vector256.Create(Unsafe.Add(ref im, 2)), Im3 = Vector256.Create(Unsafe.Add(ref im, 3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Compute(ref float r, ref float i, nuint at, nuint stride, in Twiddles tw, out Octet re, out Octet im)
    {
        // Position j of a group takes input t = rev₃(j): 0, 4, 2, 6, 1, 5, 3, 7.
        Vector256<float> x0r = Vector256.LoadUnsafe(ref r, at), x0i = Vector256.LoadUnsafe(ref i, at);
        Vector256<float> x1r = Vector256.LoadUnsafe(ref r, at + (4 * stride)), x1i = Vector256.LoadUnsafe(ref i, at + (4 * stride));
        Vector256<float> x2r = Vector256.LoadUnsafe(ref r, at + (2 * stride)), x2i = Vector256.LoadUnsafe(ref i, at + (2 * stride));
        Vector256<float> x3r = Vector256.LoadUnsafe(ref r, at + (6 * stride)), x3i = Vector256.LoadUnsafe(ref i, at + (6 * stride));
        Vector256<float> x4r = Vector256.LoadUnsafe(ref r, at + stride), x4i = Vector256.LoadUnsafe(ref i, at + stride);
        Vector256<float> x5r = Vector256.LoadUnsafe(ref r, at + (5 * stride)), x5i = Vector256.LoadUnsafe(ref i, at + (5 * stride));
        Vector256<float> x6r = Vector256.LoadUnsafe(ref r, at + (3 * stride)), x6i = Vector256.LoadUnsafe(ref i, at + (3 * stride));
        Vector256<float> x7r = Vector256.LoadUnsafe(ref r, at + (7 * stride)), x7i = Vector256.LoadUnsafe(ref i, at + (7 * stride));

        // Half-sizes 1 and 2 on each half, as FftPlan's fused first two stages (twiddles 1 and −i).
        (Vector256<float> q0r, Vector256<float> q0i, Vector256<float> q1r, Vector256<float> q1i,
            Vector256<float> q2r, Vector256<float> q2i, Vector256<float> q3r, Vector256<float> q3i) = FirstTwo(x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i);
        (Vector256<float> q4r, Vector256<float> q4i, Vector256<float> q5r, Vector256<float> q5i,
            Vector256<float> q6r, Vector256<float> q6i, Vector256<float> q7r, Vector256<float> q7i) = FirstTwo(x4r, x4i, x5r, x5i, x6r, x6i, x7r, x7i);

        // Half-size 4: b = x · w, as FftPlan's stage (multiplications kept even where w is 1 or −i, for the same rounding).
        (Vector256<float> b0r, Vector256<float> b0i) = Twiddle(q4r, q4i, tw.Re0, tw.Im0);
        (Vector256<float> b1r, Vector256<float> b1i) = Twiddle(q5r, q5i, tw.Re1, tw.Im1);
        (Vector256<float> b2r, Vector256<float> b2i) = Twiddle(q6r, q6i, tw.Re2, tw.Im2);
        (Vector256<float> b3r, Vector256<float> b3i) = Twiddle(q7r, q7i, tw.Re3, tw.Im3);
        re = Transpose(q0r + b0r, q1r + b1r, q2r + b2r, q3r + b3r, q0r - b0r, q1r - b1r, q2r - b2r, q3r - b3r);
        im = Transpose(q0i + b0i, q1i + b1i, q2i + b2i, q3i + b3i, q0i - b0i, q1i - b1i, q2i - b2i, q3i - b3i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) FirstTwo(
        Vector256<float> x0r, Vector256<float> x0i, Vector256<float> x1r, Vector256<float> x1i,
        Vector256<float> x2r, Vector256<float> x2i, Vector256<float> x3r, Vector256<float> x3i)
    {
        Vector256<float> a0r = x0r + x1r, a0i = x0i + x1i;
        Vector256<float> a1r = x0r - x1r, a1i = x0i - x1i;
        Vector256<float> a2r = x2r + x3r, a2i = x2i + x3i;
        Vector256<float> a3r = x2r - x3r, a3i = x2i - x3i;
        return (a0r + a2r, a0i + a2i, a1r + a3i, a1i - a3r, a0r - a2r, a0i - a2i, a1r - a3i, a1i + a3r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Re, Vector256<float> Im) Twiddle(Vector256<float> xRe, Vector256<float> xIm, Vector256<float> wRe, Vector256<float> wIm) =>
        ((xRe * wRe) - (xIm * wIm), (xRe * wIm) + (xIm * wRe));

    /// <summary>Row l of the result is lane l of <paramref name="y0"/> … <paramref name="y7"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Octet Transpose(
        Vector256<float> y0, Vector256<float> y1, Vector256<float> y2, Vector256<float> y3,
        Vector256<float> y4, Vector256<float> y5, Vector256<float> y6, Vector256<float> y7)
    {
        Vector256<float> t0 = Avx.UnpackLow(y0, y1), t1 = Avx.UnpackHigh(y0, y1);
        Vector256<float> t2 = Avx.UnpackLow(y2, y3), t3 = Avx.UnpackHigh(y2, y3);
        Vector256<float> t4 = Avx.UnpackLow(y4, y5), t5 = Avx.UnpackHigh(y4, y5);
        Vector256<float> t6 = Avx.UnpackLow(y6, y7), t7 = Avx.UnpackHigh(y6, y7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0b01_00_01_00), u1 = Avx.Shuffle(t0, t2, 0b11_10_11_10);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0b01_00_01_00), u3 = Avx.Shuffle(t1, t3, 0b11_10_11_10);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0b01_00_01_00), u5 = Avx.Shuffle(t4, t6, 0b11_10_11_10);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0b01_00_01_00), u7 = Avx.Shuffle(t5, t7, 0b11_10_11_10);
        return new Octet
        {
            R0 = Avx.Permute2x128(u0, u4, 0x20),
            R1 = Avx.Permute2x128(u1, u5, 0x20),
            R2 = Avx.Permute2x128(u2, u6, 0x20),
            R3 = Avx.Permute2x128(u3, u7, 0x20),
            R4 = Avx.Permute2x128(u0, u4, 0x31),
            R5 = Avx.Permute2x128(u1, u5, 0x31),
            R6 = Avx.Permute2x128(u2, u6, 0x31),
            R7 = Avx.Permute2x128(u3, u7, 0x31),
        };
    }

    /// <summary>Row l goes to the group whose outputs start at <paramref name="at"/> + rev₃(l)·N/8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float destination, nuint at, nuint stride, in Octet rows)
    {
        rows.R0.StoreUnsafe(ref destination, at);
        rows.R1.StoreUnsafe(ref destination, at + (4 * stride));
        rows.R2.StoreUnsafe(ref destination, at + (2 * stride));
        rows.R3.StoreUnsafe(ref destination, at + (6 * stride));
        rows.R4.StoreUnsafe(ref destination, at + stride);
        rows.R5.StoreUnsafe(ref destination, at + (5 * stride));
        rows.R6.StoreUnsafe(ref destination, at + (3 * stride));
        rows.R7.StoreUnsafe(ref destination, at + (7 * stride));
    }

    private static uint ReverseLow(uint value, int bits)
    {
        uint reversed = 0;
        for (int b = 0; b < bits; b++)
        {
            reversed = (reversed << 1) | ((value >> b) & 1);
        }

        return reversed;
    }
}
