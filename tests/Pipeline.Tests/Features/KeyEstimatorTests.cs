using System.Globalization;
using System.Text.Json;
using MusicClassification.Decoding;
using MusicClassification.Dsp;
using MusicClassification.Features;
using MusicClassification.Features.Tonal;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

/// <summary>
/// The HPCP key estimator against known answers (cadences in several keys and tunings, built here) and against
/// Essentia's <c>KeyExtractor</c> on the shared clips (tests/TestData/reference/*.essentia-descriptors.json).
/// </summary>
[TestClass]
public sealed class KeyEstimatorTests
{
    private const int Rate = 22_050;

    // I–IV–V–I and i–iv–V–i with the bass doubled, as MIDI notes relative to the tonic's octave below middle C.
    private static readonly int[][] MajorCadence = [[0, 12, 16, 19], [5, 12, 17, 21], [7, 11, 14, 19], [0, 12, 16, 19]];
    private static readonly int[][] MinorCadence = [[0, 12, 15, 19], [5, 12, 17, 20], [7, 11, 14, 19], [0, 12, 15, 19]];

    private static float[] Cadence(int tonicMidi, bool minor, double tuningCents)
    {
        int[][] chords = [.. (minor ? MinorCadence : MajorCadence).Select(c => c.Select(n => n + tonicMidi).ToArray())];
        return TestSignals.ChordProgression([.. chords, .. chords, .. chords], 1.5, Rate, tuningCents);
    }

    [TestMethod]
    [DataRow(48, false, 0.0, "C")]
    [DataRow(45, true, 0.0, "A")]
    [DataRow(54, false, 30.0, "F#")]
    [DataRow(51, true, -30.0, "D#")]
    [DataRow(43, false, -30.0, "G")]
    [DataRow(52, true, 30.0, "E")]
    public void A_cadence_is_in_its_key_at_any_tuning_within_30_cents(int tonicMidi, bool minor, double cents, string tonic)
    {
        KeyEstimate? key = KeyEstimator.Estimate(Cadence(tonicMidi, minor, cents), Rate, KeyProfile.Edma, SampleBuffers.Shared, CancellationToken.None);

        Assert.IsNotNull(key);
        Assert.AreEqual(tonic, KeyEstimator.TonicName(key.Value.Tonic));
        Assert.AreEqual(minor, key.Value.IsMinor);
        Assert.IsGreaterThan(0.5, key.Value.Strength);
    }

    [TestMethod]
    public void Every_profile_finds_a_plain_c_major_cadence()
    {
        float[] cadence = Cadence(48, minor: false, tuningCents: 0);
        foreach (KeyProfile profile in Enum.GetValues<KeyProfile>().Where(p => p != KeyProfile.Edmm))
        {
            KeyEstimate? key = KeyEstimator.Estimate(cadence, Rate, profile, SampleBuffers.Shared, CancellationToken.None);

            Assert.IsNotNull(key, profile.ToString());
            Assert.AreEqual("C major", KeyEstimator.TonicName(key.Value.Tonic) + (key.Value.IsMinor ? " minor" : " major"), profile.ToString());
        }
    }

    [TestMethod]
    public void Edmm_reports_a_major_key_as_its_relative_minor_as_documented()
    {
        KeyEstimate? key = KeyEstimator.Estimate(Cadence(48, minor: false, tuningCents: 0), Rate, KeyProfile.Edmm, SampleBuffers.Shared, CancellationToken.None);

        Assert.IsNotNull(key);
        Assert.IsTrue(key.Value.IsMinor);
    }

    [TestMethod]
    public void Silence_and_noise_below_the_peak_threshold_have_no_key()
    {
        Assert.IsNull(KeyEstimator.Estimate(TestSignals.Silence(10, Rate), Rate, KeyProfile.Edma, SampleBuffers.Shared, CancellationToken.None));
        Assert.IsNull(KeyEstimator.Estimate(TestSignals.WhiteNoise(10, Rate, seed: 3, amplitude: 1e-5), Rate, KeyProfile.Edma, SampleBuffers.Shared, CancellationToken.None));
    }

    [TestMethod]
    public void Only_the_strongest_peaks_are_kept_ties_going_to_the_lower_frequency()
    {
        // 40 local maxima of known heights (two pairs tied): the 10 strongest must be exactly the ones a sort would keep.
        var spectrum = new float[200];
        var heights = new float[40];
        for (int p = 0; p < 40; p++)
        {
            heights[p] = 1 + ((p * 7) % 23);
            spectrum[(p * 4) + 20] = heights[p];
        }

        var peaks = new SpectralPeak[102];
        int count = SpectralPeaks.Find(spectrum, 10, 25, 3500, 0.1f, peaks, 10);

        var expected = Enumerable.Range(0, 40).Select(p => (Hz: ((p * 4) + 20) * 10f, Height: heights[p]))
            .OrderByDescending(p => p.Height).ThenBy(p => p.Hz).Take(10).Select(p => p.Hz).Order().ToArray();
        Assert.AreEqual(10, count);
        CollectionAssert.AreEqual(expected, peaks.Take(count).Select(p => p.FrequencyHz).Order().ToArray());
    }

    [TestMethod]
    public void The_frame_is_93_ms_at_every_rate()
    {
        Assert.AreEqual(4096, KeyEstimator.FrameLength(44_100));
        Assert.AreEqual(2048, KeyEstimator.FrameLength(22_050));
        Assert.AreEqual(4096, KeyEstimator.FrameLength(48_000));
        Assert.AreEqual(1024, KeyEstimator.FrameLength(11_025));
    }

    [TestMethod]
    public void A_sine_between_bins_is_found_at_its_frequency_and_amplitude()
    {
        // A 0.5-amplitude sine at 1001.3 Hz through Essentia's normalised Hann window reads 0.5 at its peak.
        const int Size = 2048;
        float[] sine = TestSignals.Sine(1001.3, Size / (double)Rate, Rate, amplitude: 0.5);
        float[] window = Windows.NormalisedHann(Size);
        float[] frame = [.. sine.Zip(window, (x, w) => x * w)];

        var fft = MusicClassification.Dsp.Fft.RealFftPlan.For(Size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        fft.Forward(frame, new float[Size], re, im);
        float[] magnitude = [.. re.Zip(im, (r, i) => MathF.Sqrt((r * r) + (i * i)))];
        var peaks = new SpectralPeak[(fft.BinCount / 2) + 2];

        int count = SpectralPeaks.Find(magnitude, (float)Rate / Size, 25, 3500, 1e-4f, peaks, 60);

        Assert.IsGreaterThanOrEqualTo(1, count);
        SpectralPeak strongest = peaks.AsSpan(0, count).ToArray().MaxBy(p => p.Magnitude);
        Assert.AreEqual(1001.3, strongest.FrequencyHz, 1.0, "parabolic interpolation on linear magnitudes is good to a tenth of a bin");
        Assert.AreEqual(0.5, strongest.Magnitude, 0.05);
    }

    [TestMethod]
    [TestCategory(TestCategories.Ffmpeg)]
    [DataRow("singularity-coherence-30s")]
    [DataRow("singularity-media-threat-30s")]
    [DataRow("singularity-nebula-30s")]
    public async Task The_shared_clips_have_essentias_key_for_three_profiles(string clip)
    {
        var decoder = new SongDecoder(new DecodingOptions { Window = AnalysisWindow.WholeTrack }, SampleBuffers.Shared);
        using DecodedAudio audio = await decoder.DecodeAsync(SongInput.FromFile(clip, TestData.Clip(clip)), CancellationToken.None);
        JsonElement reference = TestData.EssentiaReference(clip).GetProperty("key");

        foreach ((string name, KeyProfile profile) in new[] { ("edma", KeyProfile.Edma), ("bgate", KeyProfile.Bgate), ("temperley", KeyProfile.Temperley) })
        {
            KeyEstimate? key = KeyEstimator.Estimate(audio.Samples, audio.SampleRate, profile, SampleBuffers.Shared, CancellationToken.None);
            JsonElement expected = reference.GetProperty(name);
            Assert.IsNotNull(key, name);
            string ours = KeyEstimator.TonicName(key.Value.Tonic) + (key.Value.IsMinor ? " minor" : " major");
            string theirs = Sharp(expected.GetProperty("key").GetString()!) + " " + expected.GetProperty("scale").GetString();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clip} {name}: ours {ours} {key.Value.Strength:0.0000}, Essentia {theirs} {expected.GetProperty("strength").GetDouble():0.0000}"));
            Assert.AreEqual(theirs, ours, name);

            // Essentia analysed the 44.1 kHz decode in single precision; ours is resampled to 22.05 kHz.
            Assert.AreEqual(expected.GetProperty("strength").GetDouble(), key.Value.Strength, 0.005, name);
        }
    }

    /// <summary>Essentia spells five tonics with flats (Bb, Eb, Ab); the library names them with sharps.</summary>
    private static string Sharp(string tonic) => tonic switch
    {
        "Bb" => "A#",
        "Eb" => "D#",
        "Ab" => "G#",
        "Db" => "C#",
        "Gb" => "F#",
        _ => tonic,
    };
}
