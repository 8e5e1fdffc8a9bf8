using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MusicClassification.Features.Rhythm;

/// <summary>
/// The 40 ERB bands of several frames at once: a bin-major weight matrix times each frame's per-bin values. Each band is
/// a fused multiply-add chain over the bins in order from zero, whatever the vector width or the number of frames
/// taken together, so every path gives the same floats. Taking frames together reads each bin's weights once for all of
/// them and gives the processor independent chains to overlap; one frame at a time waited on the chain's latency and
/// re-read the matrix (96 KB at 22.05 kHz, 197 KB at 44.1) per frame.
/// </summary>
internal static class ErbProjection
{
    /// <summary>The room each frame's bands take: 40 rounded up to a whole number of 512-bit vectors.</summary>
    public const int Stride = 48;

    /// <summary>Frames projected together (the caller's block).</summary>
    public const int Block = 8;

    /// <summary>
    /// <paramref name="bands"/>[f·<see cref="Stride"/> + b] = Σⱼ values[f·bins + j]·weights[j·<see cref="Stride"/> + b] for
    /// the <paramref name="frames"/> (at most <see cref="Block"/>) frames.
    /// </summary>
    public static void Project(ReadOnlySpan<float> weights, int bins, ReadOnlySpan<float> values, int frames, Span<float> bands)
    {
        if (weights.Length < bins * Stride || values.Length < frames * bins || bands.Length < frames * Stride || frames > Block)
        {
            throw new ArgumentException("The weights, values or bands are too short for the frames.");
        }

        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float v = ref MemoryMarshal.GetReference(values);
        ref float b = ref MemoryMarshal.GetReference(bands);
        int f = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; f + 8 <= frames; f += 8)
            {
                Eight512(ref w, bins, ref Unsafe.Add(ref v, f * bins), ref Unsafe.Add(ref b, f * Stride));
            }

            for (; f < frames; f++)
            {
                One512(ref w, bins, ref Unsafe.Add(ref v, f * bins), ref Unsafe.Add(ref b, f * Stride));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; f + 2 <= frames; f += 2)
            {
                Two256(ref w, bins, ref Unsafe.Add(ref v, f * bins), ref Unsafe.Add(ref b, f * Stride));
            }

            for (; f < frames; f++)
            {
                Scalar(weights, bins, values.Slice(f * bins, bins), bands.Slice(f * Stride, Stride));
            }
        }
        else
        {
            for (; f < frames; f++)
            {
                Scalar(weights, bins, values.Slice(f * bins, bins), bands.Slice(f * Stride, Stride));
            }
        }
    }

    /// <summary>Eight frames: 24 chains, each bin's three weight vectors read once for all eight (at 44.1 kHz the matrix is 197 KB).</summary>
    private static void Eight512(ref float w, int bins, ref float v, ref float bands)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, b0 = default, b1 = default, b2 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, d0 = default, d1 = default, d2 = default;
        Vector512<float> e0 = default, e1 = default, e2 = default, f0 = default, f1 = default, f2 = default;
        Vector512<float> g0 = default, g1 = default, g2 = default, h0 = default, h1 = default, h2 = default;
        for (int j = 0; j < bins; j++)
        {
            ref float row = ref Unsafe.Add(ref w, j * Stride);
            var w0 = Vector512.LoadUnsafe(ref row);
            var w1 = Vector512.LoadUnsafe(ref row, 16);
            var w2 = Vector512.LoadUnsafe(ref row, 32);
            ref float x0 = ref Unsafe.Add(ref v, j);
            var x = Vector512.Create(x0);
            a0 = Vector512.FusedMultiplyAdd(x, w0, a0);
            a1 = Vector512.FusedMultiplyAdd(x, w1, a1);
            a2 = Vector512.FusedMultiplyAdd(x, w2, a2);
            x = Vector512.Create(Unsafe.Add(ref x0, bins));
            b0 = Vector512.FusedMultiplyAdd(x, w0, b0);
            b1 = Vector512.FusedMultiplyAdd(x, w1, b1);
            b2 = Vector512.FusedMultiplyAdd(x, w2, b2);
            x = Vector512.Create(Unsafe.Add(ref x0, 2 * bins));
            c0 = Vector512.FusedMultiplyAdd(x, w0, c0);
            c1 = Vector512.FusedMultiplyAdd(x, w1, c1);
            c2 = Vector512.FusedMultiplyAdd(x, w2, c2);
            x = Vector512.Create(Unsafe.Add(ref x0, 3 * bins));
            d0 = Vector512.FusedMultiplyAdd(x, w0, d0);
            d1 = Vector512.FusedMultiplyAdd(x, w1, d1);
            d2 = Vector512.FusedMultiplyAdd(x, w2, d2);
            x = Vector512.Create(Unsafe.Add(ref x0, 4 * bins));
            e0 = Vector512.FusedMultiplyAdd(x, w0, e0);
            e1 = Vector512.FusedMultiplyAdd(x, w1, e1);
            e2 = Vector512.FusedMultiplyAdd(x, w2, e2);
            x = Vector512.Create(Unsafe.Add(ref x0, 5 * bins));
            f0 = Vector512.FusedMultiplyAdd(x, w0, f0);
            f1 = Vector512.FusedMultiplyAdd(x, w1, f1);
            f2 = Vector512.FusedMultiplyAdd(x, w2, f2);
            x = Vector512.Create(Unsafe.Add(ref x0, 6 * bins));
            g0 = Vector512.FusedMultiplyAdd(x, w0, g0);
            g1 = Vector512.FusedMultiplyAdd(x, w1, g1);
            g2 = Vector512.FusedMultiplyAdd(x, w2, g2);
            x = Vector512.Create(Unsafe.Add(ref x0, 7 * bins));
            h0 = Vector512.FusedMultiplyAdd(x, w0, h0);
            h1 = Vector512.FusedMultiplyAdd(x, w1, h1);
            h2 = Vector512.FusedMultiplyAdd(x, w2, h2);
        }

        Store512(ref bands, a0, a1, a2);
        Store512(ref Unsafe.Add(ref bands, Stride), b0, b1, b2);
        Store512(ref Unsafe.Add(ref bands, 2 * Stride), c0, c1, c2);
        Store512(ref Unsafe.Add(ref bands, 3 * Stride), d0, d1, d2);
        Store512(ref Unsafe.Add(ref bands, 4 * Stride), e0, e1, e2);
        Store512(ref Unsafe.Add(ref bands, 5 * Stride), f0, f1, f2);
        Store512(ref Unsafe.Add(ref bands, 6 * Stride), g0, g1, g2);
        Store512(ref Unsafe.Add(ref bands, 7 * Stride), h0, h1, h2);
    }

    private static void One512(ref float w, int bins, ref float v, ref float bands)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default;
        for (int j = 0; j < bins; j++)
        {
            ref float row = ref Unsafe.Add(ref w, j * Stride);
            var x = Vector512.Create(Unsafe.Add(ref v, j));
            a0 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref row), a0);
            a1 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref row, 16), a1);
            a2 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref row, 32), a2);
        }

        Store512(ref bands, a0, a1, a2);
    }

    private static void Store512(ref float destination, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2)
    {
        a0.StoreUnsafe(ref destination);
        a1.StoreUnsafe(ref destination, 16);
        a2.StoreUnsafe(ref destination, 32);
    }

    private static void Two256(ref float w, int bins, ref float v, ref float bands)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default;
        for (int j = 0; j < bins; j++)
        {
            ref float row = ref Unsafe.Add(ref w, j * Stride);
            var x = Vector256.Create(Unsafe.Add(ref v, j));
            var y = Vector256.Create(Unsafe.Add(ref v, bins + j));
            var w0 = Vector256.LoadUnsafe(ref row);
            a0 = Vector256.FusedMultiplyAdd(x, w0, a0);
            b0 = Vector256.FusedMultiplyAdd(y, w0, b0);
            var w1 = Vector256.LoadUnsafe(ref row, 8);
            a1 = Vector256.FusedMultiplyAdd(x, w1, a1);
            b1 = Vector256.FusedMultiplyAdd(y, w1, b1);
            var w2 = Vector256.LoadUnsafe(ref row, 16);
            a2 = Vector256.FusedMultiplyAdd(x, w2, a2);
            b2 = Vector256.FusedMultiplyAdd(y, w2, b2);
            var w3 = Vector256.LoadUnsafe(ref row, 24);
            a3 = Vector256.FusedMultiplyAdd(x, w3, a3);
            b3 = Vector256.FusedMultiplyAdd(y, w3, b3);
            var w4 = Vector256.LoadUnsafe(ref row, 32);
            a4 = Vector256.FusedMultiplyAdd(x, w4, a4);
            b4 = Vector256.FusedMultiplyAdd(y, w4, b4);
            var w5 = Vector256.LoadUnsafe(ref row, 40);
            a5 = Vector256.FusedMultiplyAdd(x, w5, a5);
            b5 = Vector256.FusedMultiplyAdd(y, w5, b5);
        }

        Store256(ref bands, a0, a1, a2, a3, a4, a5);
        Store256(ref Unsafe.Add(ref bands, Stride), b0, b1, b2, b3, b4, b5);
    }

    private static void Store256(ref float destination, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, Vector256<float> a4, Vector256<float> a5)
    {
        a0.StoreUnsafe(ref destination);
        a1.StoreUnsafe(ref destination, 8);
        a2.StoreUnsafe(ref destination, 16);
        a3.StoreUnsafe(ref destination, 24);
        a4.StoreUnsafe(ref destination, 32);
        a5.StoreUnsafe(ref destination, 40);
    }

    /// <summary>The reference form, one fused multiply-add at a time.</summary>
    internal static void Scalar(ReadOnlySpan<float> weights, int bins, ReadOnlySpan<float> values, Span<float> bands)
    {
        bands[..Stride].Clear();
        for (int j = 0; j < bins; j++)
        {
            ReadOnlySpan<float> row = weights.Slice(j * Stride, Stride);
            float x = values[j];
            for (int b = 0; b < Stride; b++)
            {
                bands[b] = MathF.FusedMultiplyAdd(x, row[b], bands[b]);
            }
        }
    }
}
