using System.Numerics;
using System.Runtime.InteropServices;

namespace MusicClassification.Dsp;

/// <summary>
/// <see cref="MedianFilter"/> for <see cref="Vector{T}.Count"/> independent series at once (one per SIMD lane), with the
/// same reflected edges and bit-identical results. Each lane keeps its window sorted; a step inserts the incoming value
/// and deletes the outgoing one with branch-free min/max and compare/select over the window, so a 31-wide median costs
/// about 4 vector operations per window element and step, shared by all lanes, instead of a search and a shift per series.
/// </summary>
internal static class LaneMedianFilter
{
    /// <summary>Gets how many series one call filters.</summary>
    public static int Lanes => Vector<float>.Count;

    /// <summary>
    /// Filters <see cref="Lanes"/> interleaved series: element <c>i</c> of lane <c>l</c> is at <c>i · Lanes + l</c> in both
    /// <paramref name="input"/> and <paramref name="output"/> (which must not overlap). <paramref name="window"/> is
    /// scratch of <c>2 · (size + 1)</c> vectors.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, int length, int size, Span<Vector<float>> window)
    {
        if ((size & 1) == 0 || size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The median width must be odd.");
        }

        if (length == 0)
        {
            return;
        }

        ReadOnlySpan<Vector<float>> x = MemoryMarshal.Cast<float, Vector<float>>(input[..(length * Lanes)]);
        Span<Vector<float>> y = MemoryMarshal.Cast<float, Vector<float>>(output[..(length * Lanes)]);
        int half = size / 2;
        Span<Vector<float>> sorted = window[..size];
        Span<Vector<float>> grown = window.Slice(size + 1, size + 1);
        for (int j = 0; j < size; j++)
        {
            sorted[j] = x[Reflect(j - half, length)];
        }

        SortLanes(sorted);
        for (int i = 0; i < length; i++)
        {
            y[i] = sorted[half];
            if (i + 1 < length)
            {
                Replace(sorted, grown, x[Reflect(i - half, length)], x[Reflect(i + half + 1, length)]);
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

    /// <summary>Odd-even transposition sort of every lane: once per series, so its n² cost does not matter.</summary>
    private static void SortLanes(Span<Vector<float>> values)
    {
        for (int pass = 0; pass < values.Length; pass++)
        {
            for (int j = pass & 1; j + 1 < values.Length; j += 2)
            {
                Vector<float> low = Vector.Min(values[j], values[j + 1]);
                values[j + 1] = Vector.Max(values[j], values[j + 1]);
                values[j] = low;
            }
        }
    }

    /// <summary>
    /// Inserting <paramref name="incoming"/> into sorted <c>s</c> gives <c>u[j] = max(s[j−1], min(s[j], in))</c> (with
    /// s[−1] = −∞, s[n] = +∞); deleting one <paramref name="outgoing"/> from sorted <c>u</c> gives
    /// <c>t[j] = u[j] &lt; out ? u[j] : u[j+1]</c>, since exactly the first count(u &lt; out) elements precede it.
    /// </summary>
    private static void Replace(Span<Vector<float>> sorted, Span<Vector<float>> grown, Vector<float> outgoing, Vector<float> incoming)
    {
        int n = sorted.Length;
        grown[0] = Vector.Min(sorted[0], incoming);
        for (int j = 1; j < n; j++)
        {
            grown[j] = Vector.Max(sorted[j - 1], Vector.Min(sorted[j], incoming));
        }

        grown[n] = Vector.Max(sorted[n - 1], incoming);
        for (int j = 0; j < n; j++)
        {
            sorted[j] = Vector.ConditionalSelect(Vector.LessThan(grown[j], outgoing), grown[j], grown[j + 1]);
        }
    }
}
