using System.Security.Cryptography;
using MusicClassification.Classification;
using MusicClassification.Classification.MusiCnn;
using MusicClassification.Features.MusiCnn;
using MusicClassification.Tests.Reference;
using MusicClassification.Tests.TestAudio;
using MusicClassification.Dsp;

namespace MusicClassification.Tests.Classification;

/// <summary>
/// MusiCNN input and activations against tests/TestData/reference/musicnn.essentia.json, made by Essentia's own algorithms
/// (essentia.js: FrameCutter, TensorflowInputMusiCNN), libsamplerate as Essentia's MonoLoader resamples, and ONNX
/// Runtime for Node (tools/EssentiaReference). The activation bar is the README's claim: 2e-4 absolute per label.
/// </summary>
[TestClass]
public sealed class MusiCnnEssentiaReferenceTests
{
    private const string Generated = "generated-tone-chirp-noise";
    private const double ActivationTolerance = 2e-4;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>Every frame of the signal, [frame][band]: the complete patches plus the padded partial one after them.</summary>
    private static float[] AllFrames(float[] signal)
    {
        int frames = MusiCnnInput.FrameCount(signal.Length);
        int patches = (frames + MusiCnnInput.PatchFrames - 1) / MusiCnnInput.PatchFrames;
        var values = new float[patches * MusiCnnInput.PatchLength];
        for (int p = 0; p < patches; p++)
        {
            MusiCnnInput.ComputePatch(signal, p, values.AsSpan(p * MusiCnnInput.PatchLength, MusiCnnInput.PatchLength), SampleBuffers.Shared, CancellationToken.None);
        }

        return values;
    }

    [TestMethod]
    public void Generated_signal_frames_match_Essentia_frame_for_frame()
    {
        var reference = EssentiaMusiCnnReference.For(Generated);
        float[] signal = EssentiaMusiCnnReference.GeneratedToneChirpNoise();

        Assert.AreEqual(reference.Samples16k, signal.Length);
        Assert.AreEqual(reference.Frames, MusiCnnInput.FrameCount(signal.Length), "FrameCutter's frame count");
        Assert.AreEqual(reference.Patches, MusiCnnInput.PatchCount(signal.Length), "complete patches");
        float[] frames = AllFrames(signal);
        Assert.IsNotEmpty(reference.SelectedFrames);
        foreach ((int index, double[] expected) in reference.SelectedFrames)
        {
            for (int b = 0; b < MusiCnnInput.Bands; b++)
            {
                Assert.AreEqual(expected[b], frames[(index * MusiCnnInput.Bands) + b], 2e-3, $"frame {index}, band {b}");
            }
        }

        double[] means = new double[MusiCnnInput.Bands];
        for (int f = 0; f < reference.Frames; f++)
        {
            for (int b = 0; b < means.Length; b++)
            {
                means[b] += frames[(f * MusiCnnInput.Bands) + b] / (double)reference.Frames;
            }
        }

        double[] expectedMeans = reference.BandMeans;
        for (int b = 0; b < means.Length; b++)
        {
            Assert.AreEqual(expectedMeans[b], means[b], 1e-3, $"mean of band {b}");
        }
    }

    [TestMethod]
    public void Generated_signal_activations_match_Essentia_input_through_the_same_models()
    {
        var reference = EssentiaMusiCnnReference.For(Generated);
        float[] signal = EssentiaMusiCnnReference.GeneratedToneChirpNoise();
        var patches = new float[MusiCnnInput.PatchCount(signal.Length) * MusiCnnInput.PatchLength];
        int count = MusiCnnInput.Compute(signal, patches, SampleBuffers.Shared, CancellationToken.None);
        using var models = MusiCnnModelSet.Load(TestData.ModelsDirectory());

        double worst = 0;
        foreach ((MusiCnnModel model, _) in models.Models)
        {
            float[] actual = model.Predict(patches, count, CancellationToken.None);
            double[] expected = reference.Activations(model.Name);
            Assert.HasCount(expected.Length, actual);
            for (int l = 0; l < expected.Length; l++)
            {
                worst = Math.Max(worst, Math.Abs(expected[l] - actual[l]));
                Assert.AreEqual(expected[l], actual[l], ActivationTolerance, $"{model.Name} {model.Labels[l]}");
            }
        }

        TestContext.WriteLine($"largest activation difference: {worst:E2}");
    }

    [TestMethod]
    [TestCategory(TestCategories.Ffmpeg)]
    [DataRow("singularity-coherence-30s")]
    [DataRow("singularity-media-threat-30s")]
    [DataRow("singularity-nebula-30s")]
    public async Task Clip_activations_with_every_patch_match_Essentia_within_2e_4(string clip)
    {
        var reference = EssentiaMusiCnnReference.For(clip);
        string path = TestData.Clip(clip);
        Assert.AreEqual(reference.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), "the reference was made from these bytes");
        using var musiCnn = MusiCnnClassifier.Load(new MusiCnnOptions { ModelsPath = TestData.ModelsDirectory(), MaxPatches = null });
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions { RoundResults = false }, [musiCnn]);

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromFile(clip, path));

        Assert.IsTrue(result.Succeeded, result.Error?.Message);
        var actual = new Dictionary<string, double>();
        foreach (LabelScore tag in result.Tags!)
        {
            actual["msd-musicnn-1/" + tag.Label] = tag.Probability;
        }

        foreach (LabelScore mood in result.Moods!)
        {
            actual[$"mood_{mood.Label}-musicnn-msd-2/{mood.Label}"] = mood.Probability;
        }

        actual["danceability-musicnn-msd-2/danceable"] = result.Danceability!.Value;
        double worst = 0;
        foreach ((string model, string[] labels) in MusiCnnLabels())
        {
            double[] expected = reference.Activations(model);
            for (int l = 0; l < labels.Length; l++)
            {
                if (actual.TryGetValue($"{model}/{labels[l]}", out double value))
                {
                    worst = Math.Max(worst, Math.Abs(expected[l] - value));
                    Assert.AreEqual(expected[l], value, ActivationTolerance, $"{clip}: {model} {labels[l]}");
                }
            }
        }

        Assert.HasCount(50 + 4 + 1, actual);
        TestContext.WriteLine($"{clip}: largest activation difference {worst:F4}");
    }

    private static IEnumerable<(string Model, string[] Labels)> MusiCnnLabels() =>
        MusiCnnModelSet.Known.Select(k => (k.Stem, File.ReadAllLines(Path.Combine(TestData.ModelsDirectory(), k.Stem + ".labels.txt")).Where(l => l.Trim().Length > 0).Select(l => l.Trim()).ToArray()));
}
