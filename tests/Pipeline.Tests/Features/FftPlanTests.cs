using MusicClassification.Dsp.Fft;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class FftPlanTests
{
    [TestMethod]
    [DataRow(4)]
    [DataRow(32)]
    [DataRow(64)]
    [DataRow(128)]
    [DataRow(256)]
    [DataRow(512)]
    [DataRow(1024)]
    [DataRow(2048)]
    [DataRow(8192)]
    public void The_fused_first_stages_give_the_one_by_one_results_bit_for_bit(int size)
    {
        var random = new Random(size);
        float[] re = [.. Enumerable.Range(0, size).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        float[] im = [.. Enumerable.Range(0, size).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        float[] expectedRe = [.. re], expectedIm = [.. im];
        FftPlan plan = FftPlan.For(size);

        plan.ForwardOneByOne(expectedRe, expectedIm);
        plan.Forward(re, im);

        CollectionAssert.AreEqual(expectedRe, re, $"real parts, {size} points");
        CollectionAssert.AreEqual(expectedIm, im, $"imaginary parts, {size} points");
    }

    [TestMethod]
    [DataRow(64)]
    [DataRow(512)]
    [DataRow(4096)]
    public void An_impulse_at_n_gives_the_twiddle_of_n_in_every_bin(int size)
    {
        // δ[n − s] transforms to exp(−2πi·k·s/N): every output depends on the permutation putting each input in its place.
        foreach (int shift in new[] { 0, 1, 3, size / 8, (size / 2) + 5, size - 1 })
        {
            var re = new float[size];
            var im = new float[size];
            re[shift] = 1;

            FftPlan.For(size).Forward(re, im);

            for (int k = 0; k < size; k++)
            {
                double angle = -2 * Math.PI * ((long)k * shift % size) / size;
                Assert.AreEqual(Math.Cos(angle), re[k], 1e-5, $"Re[{k}], impulse at {shift}");
                Assert.AreEqual(Math.Sin(angle), im[k], 1e-5, $"Im[{k}], impulse at {shift}");
            }
        }
    }
}
