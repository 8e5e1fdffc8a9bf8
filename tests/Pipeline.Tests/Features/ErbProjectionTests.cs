using MusicClassification.Features.Rhythm;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class ErbProjectionTests
{
    [TestMethod]
    [DataRow(513)]
    [DataRow(7)]
    public void Frames_taken_together_give_the_same_floats_as_one_at_a_time_and_the_exact_sums(int bins)
    {
        var random = new Random(bins);
        float[] weights = [.. Enumerable.Range(0, bins * ErbProjection.Stride).Select(_ => (float)random.NextDouble())];
        for (int frames = 1; frames <= ErbProjection.Block; frames++)
        {
            float[] values = [.. Enumerable.Range(0, frames * bins).Select(_ => (float)(random.NextDouble() * 100))];
            var bands = new float[frames * ErbProjection.Stride];

            ErbProjection.Project(weights, bins, values, frames, bands);

            for (int f = 0; f < frames; f++)
            {
                var single = new float[ErbProjection.Stride];
                ErbProjection.Scalar(weights, bins, values.AsSpan(f * bins, bins), single);
                for (int b = 0; b < ErbProjection.Stride; b++)
                {
                    double exact = 0;
                    for (int j = 0; j < bins; j++)
                    {
                        exact += (double)values[(f * bins) + j] * weights[(j * ErbProjection.Stride) + b];
                    }

                    float got = bands[(f * ErbProjection.Stride) + b];
                    Assert.AreEqual(single[b], got, 0f, $"frame {f} of {frames}, band {b}: not the one-at-a-time floats");
                    Assert.AreEqual(exact, got, exact * 1e-5, $"frame {f} of {frames}, band {b}");
                }
            }
        }
    }

    [TestMethod]
    public void Too_short_buffers_are_refused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => ErbProjection.Project(new float[10 * ErbProjection.Stride], 10, new float[10], 2, new float[2 * ErbProjection.Stride]));
    }
}
