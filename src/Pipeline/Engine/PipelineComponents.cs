using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MusicClassification.Classification;
using MusicClassification.Decoding;
using MusicClassification.Features;

namespace MusicClassification.Engine;

/// <summary>What each stage runs; the production set comes from the options, tests substitute their own.</summary>
internal sealed record PipelineComponents(
    IAudioDecoder Decoder,
    IFeatureExtractor Features,
    IReadOnlyList<ISongClassifier> Classifiers,
    TimeProvider Time,
    ILoggerFactory LoggerFactory)
{
    /// <summary>Resources the pipeline owns and disposes with itself (ONNX sessions).</summary>
    public IDisposable? Owned { get; init; }

    public static PipelineComponents Default(PipelineOptions options, ILoggerFactory? loggerFactory, TimeProvider? time)
    {
        var classifiers = new List<ISongClassifier>();
        if (options.Classification.EmbeddedGenreModel)
        {
            classifiers.Add(new Classification.Genre.GenreClassifier(Classification.Genre.GenreModel.Default));
        }

        Classification.MusiCnn.MusiCnnModelSet? musiCnn = options.ModelsPath is { Length: > 0 } path
            ? Classification.MusiCnn.MusiCnnModelSet.Load(path)
            : null;
        classifiers.AddRange(musiCnn?.Models.Select(m => new Classification.MusiCnn.MusiCnnClassifier(m, musiCnn.Gate)) ?? []);
        return new PipelineComponents(
            new SongDecoder(options.Decoding),
            new DescriptorExtractor(options.Features, musiCnnPatches: musiCnn is not null, maxPatches: options.Classification.MaxPatches),
            classifiers,
            time ?? TimeProvider.System,
            loggerFactory ?? NullLoggerFactory.Instance)
        {
            Owned = musiCnn,
        };
    }
}
