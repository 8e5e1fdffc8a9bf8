using Microsoft.Extensions.Logging.Abstractions;
using MusicClassification.Classification;
using MusicClassification.Decoding;
using MusicClassification.Features;
using MusicClassification.Engine;
using MusicClassification.Dsp;

namespace MusicClassification.Tests;

/// <summary>Builds pipelines whose stages tests can replace, through the same internal constructor production uses.</summary>
internal static class TestPipelines
{
    /// <summary>A fixed machine for tests that do not choose one: four cores, 8 GiB, no container limits (parallelism 4).</summary>
    public static MusicClassification.Sizing.MachineView FourCores { get; } = new(MusicClassification.Sizing.ContainerLimits.None, 4, 8L << 30);

    public static MusicClassificationPipeline Create(
        PipelineOptions? options = null,
        IAudioDecoder? decoder = null,
        IFeatureExtractor? features = null,
        IReadOnlyList<ISongClassifier>? classifiers = null,
        TimeProvider? time = null,
        MusicClassification.Sizing.MachineView? machine = null)
    {
        (PipelineOptions sized, PipelineSizing sizing) = MusicClassificationPipeline.Sized(options ?? new PipelineOptions(), machine ?? FourCores);
        var components = new PipelineComponents(
            decoder ?? new SongDecoder(
                sized.Decoding,
                SampleBuffers.Shared,
                sized.Features.TempoAtEssentiaRate ? () => MusicClassification.Features.Rhythm.BeatTracker.CreateTap(SampleBuffers.Shared) : null),
            features ?? new DescriptorExtractor(sized.Features, SampleBuffers.Shared),
            classifiers ?? [],
            time ?? TimeProvider.System,
            NullLoggerFactory.Instance,
            sized.BufferPool ?? SampleBuffers.Shared,
            sized.Features.Fingerprint ? new MusicClassification.Features.Fingerprints.SongFingerprinter(sized.Decoding) : null);
        return new MusicClassificationPipeline(sized, sizing, components);
    }

    public static async Task<List<SongResult>> CollectAsync(IAsyncEnumerable<SongResult> results)
    {
        var list = new List<SongResult>();
        await foreach (SongResult result in results)
        {
            list.Add(result);
        }

        return list;
    }
}
