using MusicClassification.Classification;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Classification;

/// <summary>The public classifier contract, through the public factory, as a user's own model would use it.</summary>
[TestClass]
public sealed class SongClassifierContractTests
{
    private static byte[] Sine(double seconds, int rate = 44_100) =>
        WavBytes.Encode(TestSignals.Sine(440, seconds, rate, amplitude: 0.5), rate);

    [TestMethod]
    public async Task A_classifier_prepares_from_the_analysed_audio_and_its_other_output_lands_under_its_task()
    {
        var classifier = new MeanLevelClassifier();
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions(), [classifier]);

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("sine", Sine(3)));

        Assert.IsTrue(result.Succeeded, result.Error?.Message);
        Assert.AreEqual((22_050 * 3, 22_050), classifier.Seen, "mono samples at the analysis rate, the whole 3 s");
        IReadOnlyList<LabelScore> scores = result.Classifications!["level"];
        // A 0.5-amplitude sine has mean |x| = 0.5 · 2/π; rounded to 4 digits like every probability.
        Assert.AreEqual(Math.Round(1 / Math.PI, 4), scores.Single(s => s.Label == "loud").Probability, 1e-12);
        CollectionAssert.Contains(result.Models!.ToArray(), "level@1");
        CollectionAssert.Contains(pipeline.Models.Select(m => m.Name).ToArray(), "level");
        Assert.IsNotNull(result.Genres, "the built-in genre model still runs first");
    }

    [TestMethod]
    public async Task A_throwing_classifier_fails_only_its_song_with_internal_error()
    {
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions(), [new ThrowsOnShortSongs()]);

        List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(
            [SongInput.FromBytes("short", Sine(1)), SongInput.FromBytes("long", Sine(3))]));

        SongResult failed = results.Single(r => r.Id == "short");
        Assert.AreEqual(SongErrorCode.Internal, failed.Error!.Code);
        Assert.DoesNotContain("secret", failed.Error.Message, "an exception's own message may hold paths: it stays in the log");
        Assert.IsTrue(results.Single(r => r.Id == "long").Succeeded);
    }

    [TestMethod]
    public async Task A_classifier_fails_its_song_with_a_code_of_its_choosing_and_keeps_the_detail_out_of_the_message()
    {
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions(), [new RefusesShortSongs()]);

        List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(
            [SongInput.FromBytes("short", Sine(1)), SongInput.FromBytes("long", Sine(3))]));

        SongError error = results.Single(r => r.Id == "short").Error!;
        Assert.AreEqual(SongErrorCode.ModelError, error.Code);
        Assert.AreEqual("The model needs at least 2 s of audio.", error.Message);
        Assert.IsTrue(results.Single(r => r.Id == "long").Succeeded);
    }

    [TestMethod]
    public async Task Binary_kinds_fill_moods_and_danceability_from_their_first_score()
    {
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions(), [new FixedBinaryClassifier()]);

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("sine", Sine(2)));

        Assert.AreEqual(0.25, result.Moods!.Single(m => m.Label == "calm").Probability);
        Assert.AreEqual(0.75, result.Danceability);
        Assert.IsNull(result.Tags);
    }

    [TestMethod]
    public async Task Rounding_is_applied_once_when_the_result_is_built()
    {
        byte[] song = Sine(3);
        await using var exact = MusicClassificationPipeline.Create(new PipelineOptions { RoundResults = false });
        await using var rounded = MusicClassificationPipeline.Create(new PipelineOptions());

        SongResult a = await exact.ClassifyAsync(SongInput.FromBytes("a", song));
        SongResult b = await rounded.ClassifyAsync(SongInput.FromBytes("b", song));

        Assert.AreEqual(Math.Round(a.Audio!.RmsDbfs, 3), b.Audio!.RmsDbfs);
        Assert.AreEqual(Math.Round(a.Audio.LoudnessLufs!.Value, 2), b.Audio.LoudnessLufs);
        Assert.AreEqual(Math.Round(a.Audio.Spectral!.CentroidHz.Mean, 6), b.Audio.Spectral!.CentroidHz.Mean);
        Assert.AreEqual(Math.Round(a.Genres![0].Probability, 4), b.Genres![0].Probability);
        Assert.AreNotEqual(Math.Round(a.Audio.RmsDbfs, 3), a.Audio.RmsDbfs, "full precision carries more digits");
        Assert.AreEqual(a.GtzanFeatures!["rms_mean"], b.GtzanFeatures!["rms_mean"], "the GTZAN vector is never rounded");
    }

    private sealed record Level(double MeanAbsolute);

    private sealed record Length(int Samples);

    private sealed class MeanLevelClassifier : ISongClassifier<Level>
    {
        public (int Length, int Rate) Seen { get; private set; }

        public IReadOnlyList<ModelDescription> Models { get; } = [new("level", "1", "level", ["loud", "quiet"], ["audio"], "MIT", "test", null)];

        public Level Prepare(SongAudio audio, CancellationToken cancellationToken)
        {
            Seen = (audio.Samples.Length, audio.SampleRate);
            double sum = 0;
            foreach (float x in audio.Samples)
            {
                sum += Math.Abs(x);
            }

            return new Level(sum / audio.Samples.Length);
        }

        public ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, Level? input, CancellationToken cancellationToken)
        {
            float loud = (float)input!.MeanAbsolute;
            return ValueTask.FromResult<IReadOnlyList<ClassifierOutput>>(
                [new ClassifierOutput(ClassifierKind.Other, "level", LabelScore.Ranked(["loud", "quiet"], [loud, 1 - loud]), "level@1")]);
        }
    }

    private sealed class ThrowsOnShortSongs : ISongClassifier<Length>
    {
        public IReadOnlyList<ModelDescription> Models { get; } = [new("thrower", "1", "x", ["x"], ["audio"], "MIT", "test", null)];

        public Length Prepare(SongAudio audio, CancellationToken cancellationToken) => new(audio.Samples.Length);

        public ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, Length? input, CancellationToken cancellationToken) =>
            input!.Samples < 22_050 * 2
                ? throw new InvalidOperationException("secret /srv/path")
                : ValueTask.FromResult<IReadOnlyList<ClassifierOutput>>([]);
    }

    private sealed class RefusesShortSongs : ISongClassifier<Length>
    {
        public IReadOnlyList<ModelDescription> Models { get; } = [new("picky", "1", "x", ["x"], ["audio"], "MIT", "test", null)];

        public Length? Prepare(SongAudio audio, CancellationToken cancellationToken) => audio.Samples.Length < audio.SampleRate * 2
            ? throw new SongFailureException(SongErrorCode.ModelError, "The model needs at least 2 s of audio.") { Detail = "secret /srv/models/picky.onnx" }
            : null;

        public ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, Length? input, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<ClassifierOutput>>([]);
    }

    private sealed class FixedBinaryClassifier : ISongClassifier
    {
        public IReadOnlyList<ModelDescription> Models { get; } = [new("binary", "1", "x", ["calm", "non_calm"], ["none"], "MIT", "test", null)];

        public ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<ClassifierOutput>>(
            [
                new ClassifierOutput(ClassifierKind.Mood, "mood_calm", [new LabelScore("calm", 0.25), new LabelScore("non_calm", 0.75)], "binary@1"),
                new ClassifierOutput(ClassifierKind.Danceability, "danceability", [new LabelScore("danceable", 0.75), new LabelScore("not_danceable", 0.25)], "binary@1"),
            ]);
    }
}
