using MusicClassification.Dsp.Loudness;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

/// <summary>EBU Tech 3341 (integrated loudness, ±0.1 LU) and Tech 3342 (loudness range, ±1 LU) test signals: stereo 1 kHz sines at 48 kHz.</summary>
[TestClass]
public sealed class LoudnessMeterTests
{
    private const int Rate = 48_000;

    /// <summary>Both channels the same 1 kHz sine, one segment per (level in dBFS, seconds).</summary>
    private static float[] StereoSegments(params (double Dbfs, double Seconds)[] segments)
    {
        var mono = new List<float>();
        double phase = 0;
        foreach ((double dbfs, double seconds) in segments)
        {
            double amplitude = Math.Pow(10, dbfs / 20);
            int n = (int)Math.Round(seconds * Rate);
            for (int i = 0; i < n; i++)
            {
                mono.Add((float)(amplitude * Math.Sin(phase)));
                phase += 2 * Math.PI * 1000 / Rate;
            }
        }

        float[] left = [.. mono];
        return TestSignals.Interleave(left, left);
    }

    private static LoudnessResult Measure(float[] interleaved, int channels = 2, int rate = Rate)
    {
        var meter = new LoudnessMeter(rate, channels);
        for (int i = 0; i < interleaved.Length; i += 4096 * channels)
        {
            meter.Add(interleaved.AsSpan(i, Math.Min(4096 * channels, interleaved.Length - i)));
        }

        return meter.Result();
    }

    public static IEnumerable<object[]> Tech3341Cases() =>
    [
        ["case 1", new[] { -23.0, 20 }, -23.0],
        ["case 2", new[] { -33.0, 20 }, -33.0],
        ["case 3", new[] { -36.0, 10, -23, 60, -36, 10 }, -23.0],
        ["case 4", new[] { -72.0, 10, -36, 10, -23, 60, -36, 10, -72, 10 }, -23.0],
        ["case 5", new[] { -26.0, 20, -20, 20.1, -26, 20 }, -23.0],
    ];

    [TestMethod]
    [DynamicData(nameof(Tech3341Cases))]
    public void Ebu_tech_3341_integrated_loudness_within_a_tenth_of_a_lu(string name, double[] segments, double expected)
    {
        var pairs = Enumerable.Range(0, segments.Length / 2).Select(i => (segments[2 * i], segments[(2 * i) + 1])).ToArray();

        LoudnessResult result = Measure(StereoSegments(pairs));

        Assert.IsNotNull(result.IntegratedLufs, name);
        Assert.AreEqual(expected, result.IntegratedLufs.Value, 0.1, name);
    }

    public static IEnumerable<object[]> Tech3342Cases() =>
    [
        ["case 1", new[] { -20.0, 20, -30, 20 }, 10.0],
        ["case 2", new[] { -20.0, 20, -15, 20 }, 5.0],
        ["case 3", new[] { -40.0, 20, -20, 20 }, 20.0],
        ["case 4", new[] { -50.0, 20, -35, 20, -20, 20, -35, 20, -50, 20 }, 15.0],
    ];

    [TestMethod]
    [DynamicData(nameof(Tech3342Cases))]
    public void Ebu_tech_3342_loudness_range_within_one_lu(string name, double[] segments, double expected)
    {
        var pairs = Enumerable.Range(0, segments.Length / 2).Select(i => (segments[2 * i], segments[(2 * i) + 1])).ToArray();

        LoudnessResult result = Measure(StereoSegments(pairs));

        Assert.IsNotNull(result.LoudnessRangeLu, name);
        Assert.AreEqual(expected, result.LoudnessRangeLu.Value, 1.0, name);
    }

    [TestMethod]
    public void The_k_weighting_at_48_kHz_reproduces_the_coefficients_published_in_bs_1770()
    {
        KWeighting k = KWeighting.For(48_000);

        Assert.AreEqual(1.53512485958697, k.ShelfB[0], 1e-9);
        Assert.AreEqual(-2.69169618940638, k.ShelfB[1], 1e-9);
        Assert.AreEqual(1.19839281085285, k.ShelfB[2], 1e-9);
        Assert.AreEqual(-1.69065929318241, k.ShelfA[1], 1e-9);
        Assert.AreEqual(0.73248077421585, k.ShelfA[2], 1e-9);
        Assert.AreEqual(-1.99004745483398, k.HighPassA[1], 1e-9);
        Assert.AreEqual(0.99007225036621, k.HighPassA[2], 1e-9);
    }

    [TestMethod]
    [DataRow(44_100)]
    [DataRow(22_050)]
    public void Loudness_does_not_depend_on_the_sample_rate(int rate)
    {
        float[] sine = TestSignals.Sine(1000, 20, rate, amplitude: Math.Pow(10, -23 / 20.0));

        LoudnessResult result = Measure(TestSignals.Interleave(sine, sine), 2, rate);

        Assert.AreEqual(-23.0, result.IntegratedLufs!.Value, 0.1);
    }

    [TestMethod]
    public void A_quarter_rate_sine_sampled_between_its_peaks_has_a_true_peak_3_dB_above_its_sample_peak()
    {
        // x[n] = sin(πn/2 + π/4): every sample is ±0.707 (−3.01 dBFS), the waveform peaks at 1.0 (0 dBTP).
        var samples = new float[Rate * 2];
        for (int n = 0; n < samples.Length; n++)
        {
            samples[n] = (float)Math.Sin((Math.PI * n / 2) + (Math.PI / 4));
        }

        LoudnessResult result = Measure(samples, channels: 1);

        Assert.AreEqual(0.0, result.TruePeakDbtp, 0.2);
    }

    [TestMethod]
    public void Silence_has_no_integrated_loudness()
    {
        LoudnessResult result = Measure(new float[Rate * 10 * 2]);

        Assert.IsNull(result.IntegratedLufs);
        Assert.IsNull(result.LoudnessRangeLu);
    }
}
