using System.Globalization;
using System.Text.Json;
using MusicClassification.Decoding;
using MusicClassification.Dsp;
using MusicClassification.Features.Rhythm;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

/// <summary>
/// The tempo against Essentia's own numbers (<c>RhythmExtractor2013</c>, multi-feature, through essentia.js:
/// tests/TestData/reference/tempo.essentia.json) on the shared clips and on generated audio of the kinds that move with
/// what lies above 11 kHz: noise near silence, a slow swell with hits. The decoder feeds the onset functions the whole
/// track at Essentia's 44.1 kHz, so the same beats are expected, not only the same tempo.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class EssentiaTempoTests
{
    public static IEnumerable<object[]> Files => Reference().GetProperty("files").EnumerateObject().Select(f => new object[] { f.Name });

    [TestMethod]
    [DynamicData(nameof(Files))]
    public async Task The_song_has_essentias_beats_tempo_and_confidence(string file)
    {
        JsonElement expected = Reference().GetProperty("files").GetProperty(file);
        double[] essentiaBeats = [.. expected.GetProperty("beats").EnumerateArray().Select(b => b.GetDouble())];
        var decoder = new SongDecoder(
            new DecodingOptions { Window = AnalysisWindow.WholeTrack, FfmpegPath = TestDecoder.FfmpegPath },
            SampleBuffers.Shared,
            () => BeatTracker.CreateTap(SampleBuffers.Shared));

        using DecodedAudio audio = await decoder.DecodeAsync(SongInput.FromFile(file, Path.Combine(TestData.Root, file)), CancellationToken.None);
        var onsets = (OnsetFunctionsBuilder)audio.Tap!;
        BeatAnalysis beats = BeatTracker.Analyse(onsets.Complete(), SampleBuffers.Shared);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: ours {beats.Bpm:0.000} BPM, confidence {beats.Confidence:0.000}, {beats.Beats.Count} beats; Essentia {expected.GetProperty("bpm").GetDouble():0.000}, {expected.GetProperty("confidence").GetDouble():0.000}, {essentiaBeats.Length}"));
        Assert.HasCount(essentiaBeats.Length, beats.Beats);
        for (int i = 0; i < essentiaBeats.Length; i++)
        {
            // Essentia's beats are single precision; a different beat would be a whole onset frame (11.6 ms) away.
            Assert.AreEqual(essentiaBeats[i], beats.Beats[i], 1e-4, $"beat {i}");
        }

        Assert.AreEqual(expected.GetProperty("bpm").GetDouble(), beats.Bpm, 1e-3);
        Assert.AreEqual(expected.GetProperty("confidence").GetDouble(), beats.Confidence, 0.05);
    }

    [TestMethod]
    [DataRow("audio/generated/white-noise-quiet-10s.ogg")]
    [DataRow("audio/singularity-coherence-30s.ogg")]
    public async Task The_pipeline_reports_essentias_tempo(string file)
    {
        await using MusicClassificationPipeline pipeline = TestPipelines.Create(new PipelineOptions
        {
            Decoding = { Window = AnalysisWindow.WholeTrack, FfmpegPath = TestDecoder.FfmpegPath },
        });

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromFile(file, Path.Combine(TestData.Root, file)));

        JsonElement expected = Reference().GetProperty("files").GetProperty(file);
        Assert.AreEqual(SongStatus.Succeeded, result.Status, result.Error?.Message);
        Assert.AreEqual(expected.GetProperty("bpm").GetDouble(), result.Audio!.TempoBpm!.Value, 0.01);
        Assert.AreEqual(expected.GetProperty("confidence").GetDouble(), result.Audio.TempoConfidence!.Value, 0.05);
    }

    [TestMethod]
    public async Task Without_essentias_rate_the_tempo_is_the_analysis_signals()
    {
        string file = "audio/generated/white-noise-quiet-10s.ogg";
        var options = new PipelineOptions
        {
            Decoding = { Window = AnalysisWindow.WholeTrack, FfmpegPath = TestDecoder.FfmpegPath },
            Features = { TempoAtEssentiaRate = false },
        };
        await using MusicClassificationPipeline pipeline = TestPipelines.Create(options);
        SongResult result = await pipeline.ClassifyAsync(SongInput.FromFile(file, Path.Combine(TestData.Root, file)));

        var decoder = new SongDecoder(options.Decoding, SampleBuffers.Shared);
        using DecodedAudio audio = await decoder.DecodeAsync(SongInput.FromFile(file, Path.Combine(TestData.Root, file)), CancellationToken.None);
        BeatAnalysis atAnalysisRate = BeatTracker.Analyse(audio.Samples, audio.SampleRate, SampleBuffers.Shared, CancellationToken.None);

        // This noise's onsets lie above 11 kHz: at 22.05 kHz the trackers follow another pulse than Essentia's 129.2 BPM.
        Assert.AreEqual(22_050, audio.SampleRate);
        Assert.IsNull(audio.Tap);
        Assert.AreEqual(atAnalysisRate.Bpm, result.Audio!.TempoBpm!.Value, 0.01);
        Assert.IsGreaterThan(5, Math.Abs(result.Audio.TempoBpm.Value - Reference().GetProperty("files").GetProperty(file).GetProperty("bpm").GetDouble()));
    }

    private static JsonElement Reference()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.Root, "reference", "tempo.essentia.json")));
        return json.RootElement.Clone();
    }
}
