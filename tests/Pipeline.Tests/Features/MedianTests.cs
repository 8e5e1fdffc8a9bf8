using MusicClassification.Dsp;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class MedianTests
{
    [TestMethod]
    public void The_median_is_the_sorted_middle_whatever_the_order_of_the_values()
    {
        // numpy's definition on a sorted copy, against the selection on every shape a partition can trip over: random,
        // few distinct values, sorted, reversed, all equal, organ pipe, signed zeros and infinities, odd and even counts.
        var random = new Random(12);
        foreach (int length in Enumerable.Range(1, 70).Concat([127, 128, 1000, 1001]))
        {
            float[][] shapes =
            [
                [.. Enumerable.Range(0, length).Select(_ => (float)random.NextDouble())],
                [.. Enumerable.Range(0, length).Select(_ => (float)random.Next(3))],
                [.. Enumerable.Range(0, length).Select(i => (float)i)],
                [.. Enumerable.Range(0, length).Select(i => (float)(length - i))],
                [.. Enumerable.Repeat(0.25f, length)],
                [.. Enumerable.Range(0, length).Select(i => (float)Math.Min(i, length - i))],
                [.. Enumerable.Range(0, length).Select(i => (i % 4) switch { 0 => -0f, 1 => 0f, 2 => float.PositiveInfinity, _ => float.NegativeInfinity })],
            ];
            foreach (float[] values in shapes)
            {
                float[] sorted = [.. values.Order()];
                int n = sorted.Length;
                float expected = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
                float[] copy = [.. values];
                Assert.AreEqual(expected, Median.OfInPlace(copy), $"length {length}: {string.Join(", ", values.Take(8))} …");
                CollectionAssert.AreEquivalent(values, copy, "the values are only reordered");
            }
        }
    }

    [TestMethod]
    public void Nan_values_give_the_median_of_the_sorted_values_as_before()
    {
        // A sort places NaN first: the middle of NaN, NaN, 1, 2, 3.
        float[] values = [3f, float.NaN, 1f, 2f, float.NaN];

        Assert.AreEqual(1f, Median.OfInPlace(values));
        Assert.AreEqual(0f, Median.OfInPlace([]));
    }
}
