using System.Numerics.Tensors;

namespace MusicClassification.Dsp;

/// <summary>numpy's <c>median</c>: the middle value, or the mean of the two middle values for an even count.</summary>
internal static class Median
{
    /// <summary>
    /// Reorders <paramref name="values"/> in place and returns their median (0 for none): a quickselect, linear rather
    /// than a sort's n log n, with the same result (an order statistic is the same value whichever way it is found).
    /// </summary>
    public static float OfInPlace(Span<float> values)
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        int n = values.Length;
        if (TensorPrimitives.IsNaNAny<float>(values) || !Select(values, n / 2))
        {
            // NaN (a sort places them first, as numpy's median does not: kept as before), or a selection taking too
            // many rounds (crafted input): sort.
            values.Sort();
            return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
        }

        float upper = values[n / 2];
        return n % 2 == 1 ? upper : (TensorPrimitives.Max(values[..(n / 2)]) + upper) / 2;
    }

    /// <summary>
    /// Moves the k-th smallest value to index <paramref name="k"/>, everything before it no larger and everything after
    /// it no smaller. Returns false, leaving the values permuted, when it needs more than 2·log₂n + 8 rounds.
    /// </summary>
    private static bool Select(Span<float> values, int k)
    {
        int left = 0;
        int right = values.Length - 1;
        int rounds = (2 * (int)Math.Log2(values.Length)) + 8;
        while (left < right)
        {
            if (--rounds < 0)
            {
                return false;
            }

            float pivot = MedianOfThree(values[left], values[left + ((right - left) / 2)], values[right]);
            int i = left;
            int j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (pivot < values[j])
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            // [left, j] are no larger than the pivot, [i, right] no smaller, and anything between equals it.
            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return true;
            }
        }

        return true;
    }

    private static float MedianOfThree(float a, float b, float c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
