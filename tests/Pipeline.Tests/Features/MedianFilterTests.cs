using MusicClassification.Dsp;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class MedianFilterTests
{
    [TestMethod]
    [DataRow(100, 31)]
    [DataRow(40, 31)]
    [DataRow(10, 31)]
    [DataRow(1025, 3)]
    public void Matches_a_sort_based_median_with_reflected_edges(int length, int size)
    {
        float[] x = TestSignals.WhiteNoise(length / 1000.0, 1000, seed: length);
        var output = new float[length];

        MedianFilter.Apply(x, output, size, new float[size]);

        for (int i = 0; i < length; i++)
        {
            var window = new float[size];
            for (int j = 0; j < size; j++)
            {
                // scipy 'reflect': … c b a | a b c … repeated with period 2n.
                int index = i - (size / 2) + j;
                int m = ((index % (2 * length)) + (2 * length)) % (2 * length);
                window[j] = x[m < length ? m : (2 * length) - m - 1];
            }

            Array.Sort(window);
            Assert.AreEqual(window[size / 2], output[i], $"position {i}");
        }
    }
}
