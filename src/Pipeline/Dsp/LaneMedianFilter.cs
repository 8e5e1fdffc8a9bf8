using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MusicClassification.Dsp;

/// <summary>
/// <see cref="MedianFilter"/> for <see cref="Lanes"/> independent series at once (one per SIMD lane of the widest
/// vector the machine runs natively: 16 with AVX-512, 8 with AVX2, 4 otherwise), with the same reflected edges and
/// bit-identical results. Each lane keeps its window sorted; a step inserts the incoming value and deletes the outgoing
/// one with branch-free min/max and compare/select over the window: four vector operations per window element and step,
/// shared by all lanes, instead of a search and a shift per series.
/// </summary>
internal static class LaneMedianFilter
{
    /// <summary>Gets how many series one call filters.</summary>
    public static int Lanes { get; } =
        Vector512.IsHardwareAccelerated ? Vector512<float>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<float>.Count
        : Vector128<float>.Count;

    /// <summary>Gets how many floats of scratch <see cref="Apply"/> needs for a window of <paramref name="size"/>.</summary>
    public static int ScratchLength(int size) => size * Lanes;

    /// <summary>
    /// Filters <see cref="Lanes"/> interleaved series: element <c>i</c> of lane <c>l</c> is at <c>i · Lanes + l</c> in both
    /// <paramref name="input"/> and <paramref name="output"/> (which must not overlap). <paramref name="window"/> holds
    /// <see cref="ScratchLength"/> floats.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, int length, int size, Span<float> window)
    {
        if ((size & 1) == 0 || size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The median width must be odd.");
        }

        if (input.Length < length * Lanes || output.Length < length * Lanes || window.Length < ScratchLength(size))
        {
            throw new ArgumentException("The spans are shorter than length · Lanes (and the window than ScratchLength).");
        }

        if (length == 0)
        {
            return;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            Run<Wide512>(input, output, length, size, window);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<Wide256>(input, output, length, size, window);
        }
        else
        {
            Run<Wide128>(input, output, length, size, window);
        }
    }

    private static void Run<TWide>(ReadOnlySpan<float> input, Span<float> output, int length, int size, Span<float> window)
        where TWide : struct, IWide
    {
        int lanes = TWide.Count;
        int half = size / 2;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        ref float sorted = ref MemoryMarshal.GetReference(window);
        for (int j = 0; j < size; j++)
        {
            TWide.Copy(ref x, (nuint)(Reflect(j - half, length) * lanes), ref sorted, (nuint)(j * lanes));
        }

        // Odd-even transposition sort of every lane: once per series, so its n² cost does not matter.
        for (int pass = 0; pass < size; pass++)
        {
            for (int j = pass & 1; j + 1 < size; j += 2)
            {
                TWide.CompareExchange(ref sorted, (nuint)(j * lanes), (nuint)((j + 1) * lanes));
            }
        }

        for (int i = 0; i < length; i++)
        {
            TWide.Copy(ref sorted, (nuint)(half * lanes), ref y, (nuint)(i * lanes));
            if (i + 1 < length)
            {
                TWide.Replace(ref sorted, size, ref x, (nuint)(Reflect(i - half, length) * lanes), (nuint)(Reflect(i + half + 1, length) * lanes));
            }
        }
    }

    private static int Reflect(int index, int length)
    {
        int period = 2 * length;
        int m = index % period;
        m = m < 0 ? m + period : m;
        return m < length ? m : period - m - 1;
    }

    /// <summary>The few vector operations the filter needs, for one width; the JIT specialises <see cref="Run{TWide}"/> per width.</summary>
    private interface IWide
    {
        static abstract int Count { get; }

        static abstract void Copy(ref float from, nuint fromOffset, ref float to, nuint toOffset);

        static abstract void CompareExchange(ref float values, nuint a, nuint b);

        /// <summary>
        /// Replaces one <paramref name="outgoingAt"/> value by the <paramref name="incomingAt"/> one in the sorted window,
        /// in one ascending pass: inserting x into sorted s gives u[j] = max(s[j−1], min(s[j], x)) (s[−1] = −∞,
        /// s[n] = +∞), and deleting one y from sorted u gives t[j] = u[j] &lt; y ? u[j] : u[j+1], since exactly the first
        /// count(u &lt; y) elements precede it.
        /// </summary>
        static abstract void Replace(ref float sorted, int size, ref float input, nuint outgoingAt, nuint incomingAt);
    }

    private readonly struct Wide512 : IWide
    {
        public static int Count => Vector512<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Copy(ref float from, nuint fromOffset, ref float to, nuint toOffset) =>
            Vector512.LoadUnsafe(ref from, fromOffset).StoreUnsafe(ref to, toOffset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void CompareExchange(ref float values, nuint a, nuint b)
        {
            Vector512<float> first = Vector512.LoadUnsafe(ref values, a);
            Vector512<float> second = Vector512.LoadUnsafe(ref values, b);
            Vector512.Min(first, second).StoreUnsafe(ref values, a);
            Vector512.Max(first, second).StoreUnsafe(ref values, b);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Replace(ref float sorted, int size, ref float input, nuint outgoingAt, nuint incomingAt)
        {
            Vector512<float> outgoing = Vector512.LoadUnsafe(ref input, outgoingAt);
            Vector512<float> incoming = Vector512.LoadUnsafe(ref input, incomingAt);
            nuint lanes = (nuint)Count;
            Vector512<float> s = Vector512.LoadUnsafe(ref sorted);
            Vector512<float> u = Vector512.Min(s, incoming);
            for (nuint j = 0; j + 1 < (nuint)size; j++)
            {
                Vector512<float> next = Vector512.LoadUnsafe(ref sorted, (j + 1) * lanes);
                Vector512<float> uNext = Vector512.Max(s, Vector512.Min(next, incoming));
                Vector512.ConditionalSelect(Vector512.LessThan(u, outgoing), u, uNext).StoreUnsafe(ref sorted, j * lanes);
                s = next;
                u = uNext;
            }

            Vector512<float> last = Vector512.Max(s, incoming);
            Vector512.ConditionalSelect(Vector512.LessThan(u, outgoing), u, last).StoreUnsafe(ref sorted, (nuint)(size - 1) * lanes);
        }
    }

    private readonly struct Wide256 : IWide
    {
        public static int Count => Vector256<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Copy(ref float from, nuint fromOffset, ref float to, nuint toOffset) =>
            Vector256.LoadUnsafe(ref from, fromOffset).StoreUnsafe(ref to, toOffset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void CompareExchange(ref float values, nuint a, nuint b)
        {
            Vector256<float> first = Vector256.LoadUnsafe(ref values, a);
            Vector256<float> second = Vector256.LoadUnsafe(ref values, b);
            Vector256.Min(first, second).StoreUnsafe(ref values, a);
            Vector256.Max(first, second).StoreUnsafe(ref values, b);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Replace(ref float sorted, int size, ref float input, nuint outgoingAt, nuint incomingAt)
        {
            Vector256<float> outgoing = Vector256.LoadUnsafe(ref input, outgoingAt);
            Vector256<float> incoming = Vector256.LoadUnsafe(ref input, incomingAt);
            nuint lanes = (nuint)Count;
            Vector256<float> s = Vector256.LoadUnsafe(ref sorted);
            Vector256<float> u = Vector256.Min(s, incoming);
            for (nuint j = 0; j + 1 < (nuint)size; j++)
            {
                Vector256<float> next = Vector256.LoadUnsafe(ref sorted, (j + 1) * lanes);
                Vector256<float> uNext = Vector256.Max(s, Vector256.Min(next, incoming));
                Vector256.ConditionalSelect(Vector256.LessThan(u, outgoing), u, uNext).StoreUnsafe(ref sorted, j * lanes);
                s = next;
                u = uNext;
            }

            Vector256<float> last = Vector256.Max(s, incoming);
            Vector256.ConditionalSelect(Vector256.LessThan(u, outgoing), u, last).StoreUnsafe(ref sorted, (nuint)(size - 1) * lanes);
        }
    }

    private readonly struct Wide128 : IWide
    {
        public static int Count => Vector128<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Copy(ref float from, nuint fromOffset, ref float to, nuint toOffset) =>
            Vector128.LoadUnsafe(ref from, fromOffset).StoreUnsafe(ref to, toOffset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void CompareExchange(ref float values, nuint a, nuint b)
        {
            Vector128<float> first = Vector128.LoadUnsafe(ref values, a);
            Vector128<float> second = Vector128.LoadUnsafe(ref values, b);
            Vector128.Min(first, second).StoreUnsafe(ref values, a);
            Vector128.Max(first, second).StoreUnsafe(ref values, b);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Replace(ref float sorted, int size, ref float input, nuint outgoingAt, nuint incomingAt)
        {
            Vector128<float> outgoing = Vector128.LoadUnsafe(ref input, outgoingAt);
            Vector128<float> incoming = Vector128.LoadUnsafe(ref input, incomingAt);
            nuint lanes = (nuint)Count;
            Vector128<float> s = Vector128.LoadUnsafe(ref sorted);
            Vector128<float> u = Vector128.Min(s, incoming);
            for (nuint j = 0; j + 1 < (nuint)size; j++)
            {
                Vector128<float> next = Vector128.LoadUnsafe(ref sorted, (j + 1) * lanes);
                Vector128<float> uNext = Vector128.Max(s, Vector128.Min(next, incoming));
                Vector128.ConditionalSelect(Vector128.LessThan(u, outgoing), u, uNext).StoreUnsafe(ref sorted, j * lanes);
                s = next;
                u = uNext;
            }

            Vector128<float> last = Vector128.Max(s, incoming);
            Vector128.ConditionalSelect(Vector128.LessThan(u, outgoing), u, last).StoreUnsafe(ref sorted, (nuint)(size - 1) * lanes);
        }
    }
}
