using MusicClassification.Classification;
using MusicClassification.Classification.MusiCnn;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Classification;

/// <summary>The MusiCNN ONNX backend on the shared clips, with the models from the folder named by MC_MODELS.</summary>
[TestClass]
public sealed class MusiCnnClassifierTests
{
    private static PipelineOptions Parallelism(int parallelism = 4) => new() { MaxDegreeOfParallelism = parallelism };

    private static SongInput Clip(string name) => SongInput.FromFile(name, TestData.Clip(name));

    [TestMethod]
    [TestCategory(TestCategories.Ffmpeg)]
    public async Task A_clip_gets_50_tags_four_moods_and_danceability()
    {
        using var musiCnn = MusiCnnClassifier.Load(TestData.ModelsDirectory());
        await using var pipeline = MusicClassificationPipeline.Create(Parallelism(), [musiCnn]);

        SongResult result = await pipeline.ClassifyAsync(Clip("singularity-nebula-30s"));


        Assert.IsTrue(result.Succeeded, result.Error?.Message);
        Assert.HasCount(50, result.Tags!);
        Assert.IsTrue(result.Tags!.All(t => t.Probability is >= 0 and <= 1));
        Assert.IsTrue(result.Tags!.Zip(result.Tags!.Skip(1)).All(p => p.First.Probability >= p.Second.Probability));
        CollectionAssert.AreEquivalent(new[] { "happy", "sad", "relaxed", "aggressive" }, result.Moods!.Select(m => m.Label).ToArray());
        Assert.IsTrue(result.Danceability is >= 0 and <= 1);
        Assert.HasCount(7, result.Models!);
        CollectionAssert.Contains(result.Models!.ToArray(), "msd-musicnn-1@1", "name@version, as for the genre model");
        CollectionAssert.Contains(result.Models!.ToArray(), "danceability-musicnn-msd-2@2");
        Assert.HasCount(7, pipeline.Models);
    }

    [TestMethod]
    public async Task Tags_are_identical_at_parallelism_1_and_4()
    {
        string[] clips = ["singularity-coherence-30s", "singularity-media-threat-30s"];

        async Task<Dictionary<string, string>> RunAsync(int parallelism)
        {
            using var musiCnn = MusiCnnClassifier.Load(TestData.ModelsDirectory());
            await using var pipeline = MusicClassificationPipeline.Create(Parallelism(parallelism), [musiCnn]);
            var results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(clips.Select(Clip)));
            return results.ToDictionary(r => r.Id, r => string.Join(";", r.Tags!.Select(t => $"{t.Label}={t.Probability}")) + $"|{r.Danceability}");
        }

        var serial = await RunAsync(1);
        var parallel = await RunAsync(4);

        CollectionAssert.AreEquivalent(serial, parallel);
    }

    [TestMethod]
    public async Task A_song_shorter_than_one_patch_is_classified_from_one_patch_padded_with_silence()
    {
        using var musiCnn = MusiCnnClassifier.Load(TestData.ModelsDirectory());
        await using var pipeline = MusicClassificationPipeline.Create(Parallelism(), [musiCnn]);
        byte[] twoSeconds = WavBytes.Encode(TestSignals.ChordProgression([[60, 64, 67]], 2, 44_100), 44_100);

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("short", twoSeconds));

        Assert.IsTrue(result.Succeeded, result.Error?.Message);
        Assert.HasCount(50, result.Tags!);
        Assert.HasCount(4, result.Moods!);
        Assert.IsTrue(result.Danceability is >= 0 and <= 1);
    }

    [TestMethod]
    public void A_missing_models_directory_is_a_start_up_error_naming_it()
    {
        var failure = Assert.ThrowsExactly<InvalidDataException>(() => MusiCnnClassifier.Load("/nonexistent/models"));

        StringAssert.Contains(failure.Message, "/nonexistent/models");
    }

    [TestMethod]
    public void A_truncated_model_file_is_a_start_up_error_naming_the_file()
    {
        string source = TestData.ModelsDirectory();
        string directory = Path.Combine(Path.GetTempPath(), $"mc-models-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            byte[] model = File.ReadAllBytes(Path.Combine(source, "msd-musicnn-1.onnx"));
            File.WriteAllBytes(Path.Combine(directory, "msd-musicnn-1.onnx"), model[..(model.Length / 3)]);
            File.Copy(Path.Combine(source, "msd-musicnn-1.labels.txt"), Path.Combine(directory, "msd-musicnn-1.labels.txt"));
            var failure = Assert.ThrowsExactly<InvalidDataException>(() => MusiCnnClassifier.Load(directory));

            StringAssert.Contains(failure.Message, "msd-musicnn-1.onnx");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
