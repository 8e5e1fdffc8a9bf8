using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicClassification.Dsp;

/// <summary>
/// Interleaved pairs of samples (stereo frames, or a signal's even and odd samples), eight pairs at a time where the
/// CPU has AVX2: the same float operations as the scalar loops, in the same order, so the results are bit-identical.
/// </summary>
internal static class SamplePairs
{
    /// <summary>destination[i] = (pairs[2i] + pairs[2i + 1]) × scale, for every whole pair.</summary>
    public static void SumScaled(ReadOnlySpan<float> pairs, float scale, Span<float> destination)
    {
        int count = pairs.Length / 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, count, nameof(destination));
        int i = 0;
        if (Avx2.IsSupported)
        {
            ref float source = ref MemoryMarshal.GetReference(pairs);
            ref float target = ref MemoryMarshal.GetReference(destination);
            Vector256<float> factor = Vector256.Create(scale);
            for (; i <= count - 8; i += 8)
            {
                // hadd gives (a0+a1, a2+a3, b0+b1, b2+b3 | a4+a5, a6+a7, b4+b5, b6+b7); the 64-bit permute puts them in order.
                Vector256<float> a = Vector256.LoadUnsafe(ref source, (nuint)(2 * i));
                Vector256<float> b = Vector256.LoadUnsafe(ref source, (nuint)((2 * i) + 8));
                Vector256<float> sums = Avx2.Permute4x64(Avx.HorizontalAdd(a, b).AsDouble(), 0b11_01_10_00).AsSingle();
                (sums * factor).StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            destination[i] = (pairs[2 * i] + pairs[(2 * i) + 1]) * scale;
        }
    }

    /// <summary>even[i] = pairs[2i] and odd[i] = pairs[2i + 1], for every whole pair.</summary>
    public static void Split(ReadOnlySpan<float> pairs, Span<float> even, Span<float> odd)
    {
        int count = pairs.Length / 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(even.Length, count, nameof(even));
        ArgumentOutOfRangeException.ThrowIfLessThan(odd.Length, count, nameof(odd));
        int i = 0;
        if (Avx2.IsSupported)
        {
            ref float source = ref MemoryMarshal.GetReference(pairs);
            for (; i <= count - 8; i += 8)
            {
                Vector256<float> a = Vector256.LoadUnsafe(ref source, (nuint)(2 * i));
                Vector256<float> b = Vector256.LoadUnsafe(ref source, (nuint)((2 * i) + 8));
                Store(Avx.Shuffle(a, b, 0b10_00_10_00), even, i);
                Store(Avx.Shuffle(a, b, 0b11_01_11_01), odd, i);
            }
        }

        for (; i < count; i++)
        {
            even[i] = pairs[2 * i];
            odd[i] = pairs[(2 * i) + 1];
        }
    }

    /// <summary>destination[2i] = even[i] × evenScale and destination[2i + 1] = odd[i] × oddScale, for every i of <paramref name="even"/>.</summary>
    public static void Interleave(ReadOnlySpan<float> even, float evenScale, ReadOnlySpan<float> odd, float oddScale, Span<float> destination)
    {
        int count = even.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(odd.Length, count, nameof(odd));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 2 * count, nameof(destination));
        int i = 0;
        if (Avx.IsSupported)
        {
            ref float a = ref MemoryMarshal.GetReference(even);
            ref float b = ref MemoryMarshal.GetReference(odd);
            ref float target = ref MemoryMarshal.GetReference(destination);
            Vector256<float> aScale = Vector256.Create(evenScale);
            Vector256<float> bScale = Vector256.Create(oddScale);
            for (; i <= count - 8; i += 8)
            {
                // unpck works within 128-bit halves: (a0, b0, a1, b1 | a4, b4, a5, b5) and (a2, b2, a3, b3 | a6, b6, a7, b7).
                Vector256<float> x = Vector256.LoadUnsafe(ref a, (nuint)i) * aScale;
                Vector256<float> y = Vector256.LoadUnsafe(ref b, (nuint)i) * bScale;
                Vector256<float> low = Avx.UnpackLow(x, y);
                Vector256<float> high = Avx.UnpackHigh(x, y);
                Avx.Permute2x128(low, high, 0x20).StoreUnsafe(ref target, (nuint)(2 * i));
                Avx.Permute2x128(low, high, 0x31).StoreUnsafe(ref target, (nuint)((2 * i) + 8));
            }
        }

        for (; i < count; i++)
        {
            destination[2 * i] = even[i] * evenScale;
            destination[(2 * i) + 1] = odd[i] * oddScale;
        }
    }

    // shufps works within 128-bit halves: (a0, a2, b0, b2 | a4, a6, b4, b6) → the 64-bit permute puts them in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> halves, Span<float> destination, int at) =>
        Avx2.Permute4x64(halves.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)at);
}
