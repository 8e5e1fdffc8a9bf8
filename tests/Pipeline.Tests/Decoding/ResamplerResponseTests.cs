using MusicClassification.Decoding;
using MusicClassification.Dsp.Resampling;

namespace MusicClassification.Tests.Decoding;

/// <summary>The filter's frequency response, computed from its taps, holds what ResamplerPlan's documentation says.</summary>
[TestClass]
public sealed class ResamplerResponseTests
{
    private static double ResponseDb(ReadOnlySpan<float> taps, double frequency, int sampleRate)
    {
        double re = 0;
        double im = 0;
        for (int j = 0; j < taps.Length; j++)
        {
            double angle = 2 * Math.PI * frequency * j / sampleRate;
            re += taps[j] * Math.Cos(angle);
            im -= taps[j] * Math.Sin(angle);
        }

        return 10 * Math.Log10((re * re) + (im * im));
    }

    [TestMethod]
    public void From_44k1_to_22k05_the_band_edges_are_those_of_ffmpegs_default_resampler_as_documented()
    {
        var plan = ResamplerPlan.For(44_100, 22_050);
        ReadOnlySpan<float> taps = plan.Taps(0);
        var report = new System.Text.StringBuilder();
        foreach (int f in new[] { 1000, 5000, 9000, 10000, 10695, 11025, 12000, 12600, 13000, 13500, 15000 })
        {
            report.Append(System.Globalization.CultureInfo.InvariantCulture, $"{f}: {ResponseDb(taps, f, 44_100):0.000} dB; ");
        }

        for (int f = 0; f <= 9_000; f += 50)
        {
            Assert.AreEqual(0, ResponseDb(taps, f, 44_100), 0.01, $"passband at {f} Hz. {report}");
        }

        Assert.AreEqual(-6, ResponseDb(taps, 10_695, 44_100), 0.5, report.ToString());
        for (int f = 13_500; f <= 22_050; f += 25)
        {
            Assert.IsLessThan(-80, ResponseDb(taps, f, 44_100), $"stopband at {f} Hz. {report}");
        }
    }

    [TestMethod]
    [DataRow(44_100)]
    [DataRow(22_050)]
    public void To_16k_the_MusiCnn_design_follows_libsamplerates_measured_medium_quality_response(int inputRate)
    {
        // sndfile-resample -c 1 (libsamplerate 0.2.2, SRC_SINC_MEDIUM_QUALITY) on 0.5-amplitude sines, 44.1 and 22.05 → 16 kHz.
        (int Hz, double Db)[] libsamplerate =
            [(6900, -0.06), (7000, -0.28), (7100, -0.88), (7200, -2.14), (7300, -4.36), (7400, -7.86), (7500, -12.92), (7600, -19.93), (7700, -29.41)];
        var plan = ResamplerPlan.For(inputRate, 16_000, ResamplerDesign.EssentiaMonoLoader);
        ReadOnlySpan<float> taps = plan.Taps(0);

        for (int f = 0; f <= 6_500; f += 50)
        {
            Assert.AreEqual(0, ResponseDb(taps, f, inputRate), 0.01, $"passband at {f} Hz");
        }

        foreach ((int hz, double db) in libsamplerate)
        {
            Assert.AreEqual(db, ResponseDb(taps, hz, inputRate), 0.3, $"transition at {hz} Hz");
        }

        for (int f = 8_100; f <= inputRate / 2; f += 25)
        {
            Assert.IsLessThan(-100, ResponseDb(taps, f, inputRate), $"stopband at {f} Hz");
        }
    }
}
