using MusicClassification.Dsp.Fft;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class RealFftTests
{
    private static (double[] Re, double[] Im) NaiveDft(float[] x)
    {
        int n = x.Length;
        var re = new double[(n / 2) + 1];
        var im = new double[(n / 2) + 1];
        for (int k = 0; k <= n / 2; k++)
        {
            for (int t = 0; t < n; t++)
            {
                double angle = -2 * Math.PI * k * t / n;
                re[k] += x[t] * Math.Cos(angle);
                im[k] += x[t] * Math.Sin(angle);
            }
        }

        return (re, im);
    }

    private static (float[] Re, float[] Im) Fast(float[] x)
    {
        var plan = RealFftPlan.For(x.Length);
        var re = new float[plan.BinCount];
        var im = new float[plan.BinCount];
        plan.Forward(x, new float[plan.ScratchLength], re, im);
        return (re, im);
    }

    [TestMethod]
    [DataRow(4)]
    [DataRow(16)]
    [DataRow(256)]
    [DataRow(512)]
    [DataRow(1024)]
    [DataRow(2048)]
    [DataRow(4096)]
    public void Matches_a_naive_dft(int size)
    {
        float[] x = TestSignals.WhiteNoise((double)size / 1000, 1000, seed: size);
        (double[] expectedRe, double[] expectedIm) = NaiveDft(x);
        (float[] re, float[] im) = Fast(x);

        // float32 arithmetic: error grows like log2(N)·ε·‖x‖.
        double tolerance = 1e-5 * Math.Sqrt(size) * Math.Log2(size);
        for (int k = 0; k < re.Length; k++)
        {
            Assert.AreEqual(expectedRe[k], re[k], tolerance, $"Re[{k}]");
            Assert.AreEqual(expectedIm[k], im[k], tolerance, $"Im[{k}]");
        }
    }

    [TestMethod]
    public void A_sine_on_a_bin_puts_all_its_energy_in_that_bin()
    {
        const int Size = 2048;
        float[] x = TestSignals.Sine(frequency: 10, seconds: 1, sampleRate: Size, amplitude: 1);
        (float[] re, float[] im) = Fast(x);

        Assert.AreEqual(Size / 2.0, Math.Sqrt((re[10] * re[10]) + (im[10] * im[10])), 1e-2);
        for (int k = 0; k < re.Length; k++)
        {
            if (k != 10)
            {
                Assert.AreEqual(0, Math.Sqrt((re[k] * re[k]) + (im[k] * im[k])), 1e-2, $"bin {k}");
            }
        }
    }

    [TestMethod]
    public void Parsevals_theorem_holds()
    {
        float[] x = TestSignals.WhiteNoise(1, 4096, seed: 9);
        (float[] re, float[] im) = Fast(x);

        double time = x.Sum(v => (double)v * v);
        double frequency = 0;
        for (int k = 0; k < re.Length; k++)
        {
            double power = ((double)re[k] * re[k]) + ((double)im[k] * im[k]);
            frequency += (k == 0 || k == re.Length - 1) ? power : 2 * power;
        }

        Assert.AreEqual(time, frequency / x.Length, time * 1e-5);
    }

    [TestMethod]
    public void One_plan_used_from_eight_threads_gives_the_serial_results()
    {
        float[][] inputs = Enumerable.Range(0, 64).Select(i => TestSignals.WhiteNoise(1, 2048, seed: i)).ToArray();
        (float[] Re, float[] Im)[] serial = inputs.Select(Fast).ToArray();
        var parallel = new (float[] Re, float[] Im)[inputs.Length];

        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                parallel[i] = Fast(inputs[i]);
            }
        });

        for (int i = 0; i < inputs.Length; i++)
        {
            CollectionAssert.AreEqual(serial[i].Re, parallel[i].Re);
            CollectionAssert.AreEqual(serial[i].Im, parallel[i].Im);
        }
    }

    [TestMethod]
    [DataRow(16)]
    [DataRow(2048)]
    public void Inverse_undoes_forward(int size)
    {
        float[] x = TestSignals.WhiteNoise((double)size / 1000, 1000, seed: 3);
        var plan = RealFftPlan.For(size);
        (float[] re, float[] im) = Fast(x);
        var back = new float[size];

        plan.Inverse(re, im, new float[plan.ScratchLength], back);

        for (int n = 0; n < size; n++)
        {
            Assert.AreEqual(x[n], back[n], 1e-5, $"sample {n}");
        }
    }

    [TestMethod]
    public void Sizes_that_are_not_powers_of_two_are_rejected() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RealFftPlan.For(1000));
}
