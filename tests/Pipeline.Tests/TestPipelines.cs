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
    public static MusicClassificationPipeline Create(
        PipelineOptions? options = null,
        IAudioDecoder? decoder = null,
        IFeatureExtractor? features = null,
        IReadOnlyList<ISongClassifier>? classifiers = null,
        TimeProvider? time = null)
    {
        options ??= new PipelineOptions();
        var components = new PipelineComponents(
            decoder ?? new SongDecoder(options.Decoding, SampleBuffers.Shared),
            features ?? new DescriptorExtractor(options.Features, SampleBuffers.Shared),
            classifiers ?? [],
            time ?? TimeProvider.System,
            NullLoggerFactory.Instance,
            options.BufferPool ?? SampleBuffers.Shared);
        return new MusicClassificationPipeline(options, components);
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
