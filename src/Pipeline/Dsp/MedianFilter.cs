namespace MusicClassification.Dsp;

/// <summary>
/// A 1-D running median of odd width with scipy.ndimage's <c>'reflect'</c> boundary (… c b a | a b c …), kept as a
/// sorted window so each step costs one removal and one insertion instead of a sort.
/// </summary>
internal static class MedianFilter
{
    /// <summary>Filters <paramref name="input"/> into <paramref name="output"/>; <paramref name="window"/> is scratch of <paramref name="size"/> floats.</summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, int size, Span<float> window)
    {
        if ((size & 1) == 0 || size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The median width must be odd.");
        }

        int n = input.Length;
        if (n == 0)
        {
            return;
        }

        int half = size / 2;
        Span<float> sorted = window[..size];
        for (int j = 0; j < size; j++)
        {
            sorted[j] = input[Reflect(j - half, n)];
        }

        sorted.Sort();
        for (int i = 0; i < n; i++)
        {
            output[i] = sorted[half];
            if (i + 1 < n)
            {
                Replace(sorted, input[Reflect(i - half, n)], input[Reflect(i + half + 1, n)]);
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

    private static void Replace(Span<float> sorted, float outgoing, float incoming)
    {
        int at = sorted.BinarySearch(outgoing);
        if (at < 0)
        {
            at = ~at;
        }

        // Slide the gap towards where the incoming value belongs, keeping the window sorted.
        while (at > 0 && incoming < sorted[at - 1])
        {
            sorted[at] = sorted[at - 1];
            at--;
        }

        while (at < sorted.Length - 1 && incoming > sorted[at + 1])
        {
            sorted[at] = sorted[at + 1];
            at++;
        }

        sorted[at] = incoming;
    }
}
