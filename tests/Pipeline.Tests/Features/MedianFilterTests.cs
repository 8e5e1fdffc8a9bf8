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

    [TestMethod]
    [DataRow(1292, 31)]
    [DataRow(40, 31)]
    [DataRow(10, 31)]
    [DataRow(1, 31)]
    [DataRow(1025, 3)]
    public void The_lane_filter_gives_every_lane_exactly_the_scalar_filters_result(int length, int size)
    {
        int lanes = LaneMedianFilter.Lanes;
        var series = Enumerable.Range(0, lanes).Select(l => TestSignals.WhiteNoise(length / 1000.0, 1000, seed: (length * 31) + l)).ToArray();
        // Ties on purpose: quantised values make equal neighbours, where a sorted window must delete the right copy.
        foreach (float[] s in series.Where((_, l) => l % 2 == 1))
        {
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = MathF.Round(s[i] * 4) / 4;
            }
        }

        var interleaved = new float[length * lanes];
        for (int i = 0; i < length; i++)
        {
            for (int l = 0; l < lanes; l++)
            {
                interleaved[(i * lanes) + l] = series[l][i];
            }
        }

        var output = new float[length * lanes];
        LaneMedianFilter.Apply(interleaved, output, length, size, new float[LaneMedianFilter.ScratchLength(size)]);

        for (int l = 0; l < lanes; l++)
        {
            var expected = new float[length];
            MedianFilter.Apply(series[l], expected, size, new float[size]);
            for (int i = 0; i < length; i++)
            {
                Assert.AreEqual(expected[i], output[(i * lanes) + l], $"lane {l}, position {i}");
            }
        }
    }
}
