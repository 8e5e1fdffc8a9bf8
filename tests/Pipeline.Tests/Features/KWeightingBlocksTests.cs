using MusicClassification.Dsp.Loudness;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class KWeightingBlocksTests
{
    // Double precision either way; only the order of the operations differs.
    private const double RelativeTolerance = 1e-9;

    [TestMethod]
    [DataRow(44_100, false)]
    [DataRow(48_000, false)]
    [DataRow(44_100, true)]
    [DataRow(192_000, true)]
    public void Eight_frames_at_a_time_give_the_sample_by_sample_filter(int rate, bool bass)
    {
        if (!KWeightingBlocks.IsHardwareAccelerated)
        {
            Assert.Inconclusive("This CPU has no 512-bit vectors: the meter filters sample by sample and the block form is unused.");
        }

        // Noise and a tone; or what the high-pass nearly cancels (a loud 30 Hz tone over a DC offset) against a 15 kHz
        // tone, where rounding shows most.
        float[] left = bass
            ? [.. TestSignals.Sine(30, 0.5, rate, amplitude: 0.9).Select(x => x + 0.05f)]
            : TestSignals.WhiteNoise(0.5, rate, seed: 1, amplitude: 0.9);
        float[] right = TestSignals.Sine(bass ? 15_000 : 997, 0.5, rate, amplitude: 0.5);
        float[] interleaved = TestSignals.Interleave(left, right);
        KWeighting k = KWeighting.For(rate);
        var blocks = new KWeightingBlocks(k);
        var state = new double[8];

        // The reference: each channel through the two biquads in direct form I, one sample at a time, in double.
        double[] expectedLeft = DirectFormOne(k, left);
        double[] expectedRight = DirectFormOne(k, right);
        double Expected(int from, int count) =>
            Enumerable.Range(from, count).Sum(f => (expectedLeft[f] * expectedLeft[f]) + (expectedRight[f] * expectedRight[f]));

        // Odd chunks, so that blocks start from states the block form left and the rest is carried on sample by sample.
        var energy = new double[left.Length];
        int frame = 0;
        foreach (int chunk in new[] { 1003, 8, 7, 4096, left.Length })
        {
            int count = Math.Min(chunk, left.Length - frame);
            int done = blocks.Filter(interleaved.AsSpan(2 * frame, 2 * count), energy.AsSpan(frame, count), state);
            Assert.AreEqual(count - (count % KWeightingBlocks.Length), done);
            for (int f = frame + done; f < frame + count; f++)
            {
                double yl = KWeightingBlocks.Step(k, state.AsSpan(0, 4), left[f]);
                double yr = KWeightingBlocks.Step(k, state.AsSpan(4, 4), right[f]);
                energy[f] = (yl * yl) + (yr * yr);
            }

            frame += count;
        }

        // Frame by frame against the reference, to the energy's own size or, where a frame's energy is near zero, to the
        // signal's mean energy.
        double scale = Expected(0, left.Length) / left.Length;
        for (int f = 0; f < left.Length; f++)
        {
            double expected = Expected(f, 1);
            Assert.AreEqual(expected, energy[f], (Math.Max(expected, scale) * RelativeTolerance) + 1e-15, $"frame {f}");
        }
    }

    private static double[] DirectFormOne(KWeighting k, float[] x)
    {
        double[] shelf = Biquad(k.ShelfB, k.ShelfA, [.. x.Select(v => (double)v)]);
        return Biquad(k.HighPassB, k.HighPassA, shelf);
    }

    private static double[] Biquad(double[] b, double[] a, double[] x)
    {
        var y = new double[x.Length];
        for (int n = 0; n < x.Length; n++)
        {
            double x1 = n >= 1 ? x[n - 1] : 0, x2 = n >= 2 ? x[n - 2] : 0;
            double y1 = n >= 1 ? y[n - 1] : 0, y2 = n >= 2 ? y[n - 2] : 0;
            y[n] = (b[0] * x[n]) + (b[1] * x1) + (b[2] * x2) - (a[1] * y1) - (a[2] * y2);
        }

        return y;
    }
}
