using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;
using MusicClassification.Dsp.Resampling;
using MusicClassification.Dsp;

namespace MusicClassification.Tests.Decoding;

[TestClass]
public sealed class ResamplerTests
{
    /// <summary>Edges are excluded from level measurements: the filter's zero padding shapes the first and last taps.</summary>
    private const int EdgeSamples = 2_000;

    private static float[] Resample(float[] input, int from, int to, int feedBlock = 1000, ResamplerDesign? design = null)
    {
        var plan = ResamplerPlan.For(from, to, design);
        using var output = new PcmBuffer(0, int.MaxValue / 2, SampleBuffers.Shared);
        using var resampler = new StreamingResampler(plan, 4096, SampleBuffers.Shared);
        for (int i = 0; i < input.Length; i += feedBlock)
        {
            resampler.Process(input.AsSpan(i, Math.Min(feedBlock, input.Length - i)), output);
        }

        resampler.Flush(output);
        return output.Written.ToArray();
    }

    private static double LevelDb(float[] signal, double referenceRms) =>
        20 * Math.Log10(TestSignals.Rms(signal.AsSpan(EdgeSamples, signal.Length - (2 * EdgeSamples))) / referenceRms);

    [TestMethod]
    public void A_1kHz_tone_keeps_its_level_within_a_tenth_of_a_dB_from_44k1_to_22k05()
    {
        float[] output = Resample(TestSignals.Sine(1000, 2, 44_100, amplitude: 0.5), 44_100, 22_050);

        Assert.AreEqual(0, LevelDb(output, 0.5 / Math.Sqrt(2)), 0.1);
    }

    [TestMethod]
    public void A_15kHz_tone_is_attenuated_by_at_least_60_dB_from_44k1_to_22k05()
    {
        float[] output = Resample(TestSignals.Sine(15_000, 2, 44_100, amplitude: 0.5), 44_100, 22_050);

        double level = LevelDb(output, 0.5 / Math.Sqrt(2));
        Assert.IsLessThan(-60, level, $"15 kHz leaked at {level:0.0} dB");
    }

    [TestMethod]
    [DataRow(48_000, 22_050)]
    [DataRow(8_000, 22_050)]
    [DataRow(96_000, 22_050)]
    [DataRow(44_056, 22_050)]
    [DataRow(22_050, 16_000)]
    public void The_passband_is_flat_for_any_rate_pair(int from, int to)
    {
        float[] output = Resample(TestSignals.Sine(440, 2, from, amplitude: 0.5), from, to);

        Assert.AreEqual(0, LevelDb(output, 0.5 / Math.Sqrt(2)), 0.1);
    }

    [TestMethod]
    [DataRow(44_100, 22_050, 44_100)]
    [DataRow(48_000, 22_050, 48_000)]
    [DataRow(8_000, 22_050, 8_001)]
    [DataRow(44_100, 22_050, 1)]
    public void The_output_has_ceil_n_times_the_rate_ratio_samples(int from, int to, int inputLength)
    {
        float[] output = Resample(new float[inputLength], from, to);

        Assert.AreEqual((long)Math.Ceiling(inputLength * (double)to / from), output.Length);
    }

    [TestMethod]
    public void The_output_does_not_depend_on_how_the_input_is_split_into_blocks()
    {
        float[] input = TestSignals.WhiteNoise(0.5, 48_000, seed: 3);

        float[] whole = Resample(input, 48_000, 22_050, feedBlock: 4096);
        float[] ragged = Resample(input, 48_000, 22_050, feedBlock: 37);

        CollectionAssert.AreEqual(whole, ragged);
    }

    [TestMethod]
    public void The_output_is_time_aligned_with_the_input()
    {
        // A tone resampled 2:1 must equal the same tone generated at the lower rate, phase included.
        float[] output = Resample(TestSignals.Sine(500, 1, 44_100, amplitude: 0.5), 44_100, 22_050);
        float[] expected = TestSignals.Sine(500, 1, 22_050, amplitude: 0.5);

        for (int i = EdgeSamples; i < expected.Length - EdgeSamples; i++)
        {
            Assert.AreEqual(expected[i], output[i], 2e-3, $"sample {i}");
        }
    }

    [TestMethod]
    [DataRow(22_050, 16_000)]
    [DataRow(44_100, 16_000)]
    [DataRow(48_000, 22_050)]
    public void A_span_resampled_alone_equals_the_same_span_of_the_streamed_signal(int from, int to)
    {
        var random = new Random(7);
        float[] input = Enumerable.Range(0, from * 3).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] streamed = Resample(input, from, to, 777, ResamplerDesign.EssentiaMonoLoader);
        var plan = ResamplerPlan.For(from, to, ResamplerDesign.EssentiaMonoLoader);

        foreach ((int start, int length) in new[] { (0, 500), (12_345, 4_000), (streamed.Length - 300, 300) })
        {
            var span = new float[length];
            plan.Resample(input, start, span, SampleBuffers.Shared);
            for (int i = 0; i < length; i++)
            {
                Assert.AreEqual(streamed[start + i], span[i], 1e-5, $"output {start + i}");
            }
        }
    }

    [TestMethod]
    [DataRow(4096)]
    [DataRow(1000)]
    [DataRow(37)]
    public void Halving_the_rate_gives_the_exact_convolution_whatever_the_blocks(int feedBlock)
    {
        // 44.1 → 22.05 kHz takes the vector decimation paths (64, 8 and 1 outputs at a time, by what a block leaves):
        // every output must be the filter's sum over the inputs, computed here in double precision.
        float[] input = TestSignals.WhiteNoise(1, 44_100, seed: 11);
        float[] output = Resample(input, 44_100, 22_050, feedBlock);
        var plan = ResamplerPlan.For(44_100, 22_050);
        ReadOnlySpan<float> taps = plan.Taps(0);

        Assert.AreEqual(22_050, output.Length);
        for (int n = 0; n < output.Length; n++)
        {
            double exact = 0;
            for (int j = 0; j < taps.Length; j++)
            {
                int at = (2 * n) - plan.HalfWidth + 1 + j;
                exact += at >= 0 && at < input.Length ? (double)taps[j] * input[at] : 0;
            }

            Assert.AreEqual(exact, output[n], 2e-6, $"output {n}");
        }
    }
}
