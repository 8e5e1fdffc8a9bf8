using MusicClassification.Features.Gtzan;
using MusicClassification.Dsp;
using MusicClassification.Features.Tonal;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class KeyAndTempoTests
{
    private const int Rate = 22_050;

    private static ExcerptAnalysis Analyse(float[] signal) =>
        GtzanFeatureExtractor.Compute(signal, new Dictionary<string, double>(), SampleBuffers.Shared, CancellationToken.None);

    private static double GtzanTempo(float[] signal)
    {
        var columns = new Dictionary<string, double>();
        GtzanFeatureExtractor.Compute(signal, columns, SampleBuffers.Shared, CancellationToken.None);
        return columns["tempo"];
    }

    [TestMethod]
    public void A_c_major_triads_chroma_peaks_at_c_e_and_g()
    {
        float[] triad = TestSignals.ChordProgression([[60, 64, 67]], 4, Rate);
        var framing = new StftFraming(2048, 512);
        var chroma = new float[framing.FrameCount(triad.Length) * 12];

        ChromaStft.Compute(triad, Rate, framing, chroma, SampleBuffers.Shared, CancellationToken.None);

        var mean = new double[12];
        for (int i = 0; i < chroma.Length; i++)
        {
            mean[i % 12] += chroma[i];
        }

        int[] top = mean.Select((value, pitchClass) => (value, pitchClass)).OrderByDescending(p => p.value).Take(3).Select(p => p.pitchClass).Order().ToArray();
        CollectionAssert.AreEqual(new[] { 0, 4, 7 }, top, string.Join(", ", mean.Select(v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [TestMethod]
    public void Silence_has_no_tempo()
    {
        Assert.AreEqual(0, GtzanTempo(TestSignals.Silence(10, Rate)));
    }

    [TestMethod]
    public void White_noise_is_spectrally_flat_and_a_sine_is_not()
    {
        ExcerptAnalysis noise = Analyse(TestSignals.WhiteNoise(10, Rate, seed: 12));
        ExcerptAnalysis sine = Analyse(TestSignals.Sine(1000, 10, Rate));

        // The power bins of windowed white noise are exponentially distributed: geometric/arithmetic mean = e^−γ ≈ 0.561.
        Assert.AreEqual(Math.Exp(-0.5772156649), noise.Spectral.Flatness.Mean, 0.03);
        Assert.IsLessThan(0.01, sine.Spectral.Flatness.Mean);
        Assert.AreEqual(1000, sine.Spectral.CentroidHz.Mean, 15);
        Assert.AreEqual(Rate / 4.0, noise.Spectral.CentroidHz.Mean, 150);
    }

    [TestMethod]
    [DataRow(120.0)]
    [DataRow(90.0)]
    [DataRow(140.0)]
    public void A_click_tracks_gtzan_tempo_is_the_lag_of_its_beat(double bpm)
    {
        // librosa's tempo is a whole lag of the onset envelope (512-sample hops): the lag nearest the beat period.
        double grid = GtzanTempo(TestSignals.ClickTrack(bpm, 30, Rate));

        double lag = 60.0 * Rate / (512 * grid);
        Assert.AreEqual(Math.Round(lag), lag, 1e-9, "a whole lag");
        Assert.AreEqual(60.0 * Rate / (512 * bpm), lag, 1.0, $"grid value {grid:0.00}");
    }
}
