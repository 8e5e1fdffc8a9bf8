using MusicClassification.Features;

namespace MusicClassification.Classification;

/// <summary>Turns one song's features into labelled scores; the classify stage runs every registered classifier.</summary>
internal interface ISongClassifier
{
    ValueTask ClassifyAsync(SongFeatures features, CancellationToken cancellationToken);
}
