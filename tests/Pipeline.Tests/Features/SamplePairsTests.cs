using MusicClassification.Dsp;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class SamplePairsTests
{
    [TestMethod]
    public void Summing_pairs_is_bit_identical_to_the_scalar_mean_at_every_length()
    {
        var random = new Random(7);
        for (int pairs = 0; pairs <= 41; pairs++)
        {
            float[] samples = [.. Enumerable.Range(0, (2 * pairs) + 1).Select(_ => (float)((random.NextDouble() * 2) - 1))];
            var mono = new float[pairs];

            SamplePairs.SumScaled(samples, 0.5f, mono);

            for (int i = 0; i < pairs; i++)
            {
                Assert.AreEqual((samples[2 * i] + samples[(2 * i) + 1]) * 0.5f, mono[i], 0f, $"pair {i} of {pairs}");
            }
        }
    }

    [TestMethod]
    public void Splitting_pairs_puts_every_even_and_odd_sample_in_its_place()
    {
        for (int pairs = 0; pairs <= 41; pairs++)
        {
            float[] samples = [.. Enumerable.Range(0, 2 * pairs).Select(i => (float)i)];
            var even = new float[pairs];
            var odd = new float[pairs];

            SamplePairs.Split(samples, even, odd);

            CollectionAssert.AreEqual(Enumerable.Range(0, pairs).Select(i => (float)(2 * i)).ToArray(), even, $"{pairs} pairs");
            CollectionAssert.AreEqual(Enumerable.Range(0, pairs).Select(i => (float)((2 * i) + 1)).ToArray(), odd, $"{pairs} pairs");
        }
    }

    [TestMethod]
    public void Interleaving_puts_every_scaled_value_in_its_place_at_every_length()
    {
        var random = new Random(11);
        for (int pairs = 0; pairs <= 41; pairs++)
        {
            float[] even = [.. Enumerable.Range(0, pairs).Select(_ => (float)((random.NextDouble() * 2) - 1))];
            float[] odd = [.. Enumerable.Range(0, pairs).Select(_ => (float)((random.NextDouble() * 2) - 1))];
            var interleaved = new float[(2 * pairs) + 1];
            interleaved[^1] = 42;

            SamplePairs.Interleave(even, 0.25f, odd, -3f, interleaved);

            for (int i = 0; i < pairs; i++)
            {
                Assert.AreEqual(even[i] * 0.25f, interleaved[2 * i], 0f, $"even {i} of {pairs}");
                Assert.AreEqual(odd[i] * -3f, interleaved[(2 * i) + 1], 0f, $"odd {i} of {pairs}");
            }

            Assert.AreEqual(42f, interleaved[^1], $"{pairs} pairs: nothing written past the pairs");
        }
    }
}
