using System.Globalization;
using MusicClassification.Dsp;
using MusicClassification.Features.Rhythm;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

/// <summary>
/// The multi-feature beat tracker against known answers (click tracks at several tempi, built here), at any rate;
/// against Essentia's own beats in <see cref="EssentiaTempoTests"/>.
/// </summary>
[TestClass]
public sealed class BeatTrackerTests
{
    private const int Rate = 22_050;

    [TestMethod]
    [DataRow(60.0)]
    [DataRow(92.0)]
    [DataRow(120.0)]
    [DataRow(143.0)]
    public void A_click_track_has_its_tempo_regular_beats_on_the_clicks_and_full_confidence(double bpm)
    {
        BeatAnalysis beats = BeatTracker.Analyse(TestSignals.ClickTrack(bpm, 40, Rate), Rate, SampleBuffers.Shared, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"click {bpm}: {beats.Bpm:0.000} BPM, confidence {beats.Confidence:0.00}, regularity {beats.Regularity:0.00}, {beats.Beats.Count} beats"));

        Assert.AreEqual(bpm, beats.Bpm, bpm * 0.01, $"{beats.Beats.Count} beats");
        Assert.IsGreaterThan(0.95, beats.Regularity);
        Assert.IsGreaterThan(3.5, beats.Confidence, "above 3.5 bits: Essentia's 'very reliable'");

        // Each beat lies on a click (the clicks start every 60/bpm s from 0); the grid is 1/86 s.
        double period = 60 / bpm;
        foreach (double t in beats.Beats.Where(t => t > 1))
        {
            double offset = Math.Abs(t - (Math.Round(t / period) * period));
            Assert.IsLessThan(0.035, offset, string.Create(CultureInfo.InvariantCulture, $"beat at {t:0.000} s"));
        }
    }

    [TestMethod]
    public void A_fast_click_track_is_found_at_its_tempo_or_half_of_it()
    {
        // Above 184 BPM the period tracker cannot follow (its transitions span 28 … 108 steps of 1/86 s) and the Rayleigh
        // prior at 120 BPM prefers half tempo: Essentia reports this metrical level too.
        BeatAnalysis beats = BeatTracker.Analyse(TestSignals.ClickTrack(174, 40, Rate), Rate, SampleBuffers.Shared, CancellationToken.None);

        Assert.IsTrue(Math.Abs(beats.Bpm - 174) < 1.74 || Math.Abs(beats.Bpm - 87) < 0.87, beats.Bpm.ToString(CultureInfo.InvariantCulture));
        Assert.IsGreaterThan(0.95, beats.Regularity);
    }

    [TestMethod]
    public void Silence_has_no_beats_and_no_tempo()
    {
        BeatAnalysis beats = BeatTracker.Analyse(TestSignals.Silence(20, Rate), Rate, SampleBuffers.Shared, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"silence: {beats.Bpm:0.000} BPM, confidence {beats.Confidence:0.00}, {beats.Beats.Count} beats"));

        Assert.AreEqual(0, beats.Bpm);
        Assert.AreEqual(0, beats.Confidence);
        Assert.IsEmpty(beats.Beats);
    }

    [TestMethod]
    public void The_tempo_is_the_mean_of_the_intervals_near_the_fullest_bin()
    {
        // Intervals of 0.5 s (120 BPM) with one of 1 s (60 BPM): the histogram's fullest bin is 120, the 60 is left out.
        (double bpm, double regularity) = BeatTracker.Tempo([0, 0.5, 1.0, 1.5, 2.5, 3.0, 3.5]);

        Assert.AreEqual(120, bpm, 1e-9);
        Assert.AreEqual(5 / 6.0, regularity, 1e-9);
    }

    [TestMethod]
    [DataRow(8_000)]
    [DataRow(16_000)]
    [DataRow(44_100)]
    [DataRow(48_000)]
    public void Tempo_and_key_work_at_other_analysis_rates(int rate)
    {
        // A C major cadence over a 120 BPM click track: the frames follow the rate (46 ms and 93 ms to the nearest power
        // of two), so the answers stay the same.
        int[][] cadence = [[48, 60, 64, 67], [53, 60, 65, 69], [55, 59, 62, 67], [48, 60, 64, 67]];
        float[] chords = TestSignals.ChordProgression([.. cadence, .. cadence, .. cadence, .. cadence], 2, rate);
        float[] clicks = TestSignals.ClickTrack(120, chords.Length / (double)rate, rate, amplitude: 0.5);
        float[] song = [.. chords.Zip(clicks, (a, b) => a + b)];

        BeatAnalysis beats = BeatTracker.Analyse(song, rate, SampleBuffers.Shared, CancellationToken.None);
        MusicClassification.Features.Tonal.KeyEstimate? key = MusicClassification.Features.Tonal.KeyEstimator.Estimate(
            song, rate, KeyProfile.Edma, SampleBuffers.Shared, CancellationToken.None);

        Assert.AreEqual(120, beats.Bpm, 2.4, rate.ToString(CultureInfo.InvariantCulture));
        Assert.IsNotNull(key);
        Assert.AreEqual("C", MusicClassification.Features.Tonal.KeyEstimator.TonicName(key.Value.Tonic));
        Assert.IsFalse(key.Value.IsMinor);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(500)]
    [DataRow(22_050)]
    public void Very_short_signals_give_an_answer_not_an_exception(int samples)
    {
        float[] song = TestSignals.ClickTrack(120, samples / (double)Rate, Rate);

        BeatAnalysis beats = BeatTracker.Analyse(song, Rate, SampleBuffers.Shared, CancellationToken.None);
        _ = MusicClassification.Features.Tonal.KeyEstimator.Estimate(song, Rate, KeyProfile.Edma, SampleBuffers.Shared, CancellationToken.None);

        Assert.IsTrue(double.IsFinite(beats.Bpm) && beats.Bpm >= 0);
        Assert.IsTrue(double.IsFinite(beats.Confidence) && beats.Confidence >= 0);
    }
}
