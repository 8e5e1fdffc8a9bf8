using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MusicClassification.Classification;
using MusicClassification.Decoding;
using MusicClassification.Features;

namespace MusicClassification;

/// <summary>What each stage runs; the production set comes from the options, tests substitute their own.</summary>
internal sealed record PipelineComponents(
    IAudioDecoder Decoder,
    IFeatureExtractor Features,
    IReadOnlyList<ISongClassifier> Classifiers,
    TimeProvider Time,
    ILoggerFactory LoggerFactory)
{
    public static PipelineComponents Default(PipelineOptions options, ILoggerFactory? loggerFactory, TimeProvider? time) => new(
        new SongDecoder(options.Decoding),
        new DescriptorExtractor(options.Features),
        options.Classification.EmbeddedGenreModel ? [new Classification.Genre.GenreClassifier(Classification.Genre.GenreModel.Default)] : [],
        time ?? TimeProvider.System,
        loggerFactory ?? NullLoggerFactory.Instance);
}
