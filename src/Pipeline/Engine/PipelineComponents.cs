using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MusicClassification.Classification;
using MusicClassification.Classification.Genre;
using MusicClassification.Decoding;
using MusicClassification.Dsp;
using MusicClassification.Features;

namespace MusicClassification.Engine;

/// <summary>What each stage runs; the production set comes from the options, tests substitute their own.</summary>
internal sealed record PipelineComponents(
    IAudioDecoder Decoder,
    IFeatureExtractor Features,
    IReadOnlyList<ISongClassifier> Classifiers,
    TimeProvider Time,
    ILoggerFactory LoggerFactory,
    ArrayPool<float> Pool,
    Features.Fingerprints.SongFingerprinter? Fingerprinter = null)
{
    public static PipelineComponents Default(PipelineOptions options, IEnumerable<ISongClassifier> added, ILoggerFactory? loggerFactory, TimeProvider? time)
    {
        var classifiers = new List<ISongClassifier>();
        if (options.Classification.EmbeddedGenreModel)
        {
            classifiers.Add(new GenreClassifier(GenreModel.Default));
        }

        classifiers.AddRange(added);
        ArrayPool<float> pool = options.BufferPool ?? new BoundedSamplePool((long)(options.BufferPoolLimitMegabytes ?? 0) * 1024 * 1024);
        return new PipelineComponents(
            new SongDecoder(
                options.Decoding,
                pool,
                options.Features.TempoAtEssentiaRate ? () => MusicClassification.Features.Rhythm.BeatTracker.CreateTap(pool) : null),
            new DescriptorExtractor(options.Features, pool),
            classifiers,
            time ?? TimeProvider.System,
            loggerFactory ?? NullLoggerFactory.Instance,
            pool,
            options.Features.Fingerprint ? new Features.Fingerprints.SongFingerprinter(options.Decoding) : null);
    }
}
