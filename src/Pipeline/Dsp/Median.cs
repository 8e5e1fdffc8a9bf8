namespace MusicClassification.Dsp;

/// <summary>numpy's <c>median</c>: the middle value, or the mean of the two middle values for an even count.</summary>
internal static class Median
{
    /// <summary>Sorts <paramref name="values"/> in place and returns their median (0 for none).</summary>
    public static float OfInPlace(Span<float> values)
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        values.Sort();
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }
}
