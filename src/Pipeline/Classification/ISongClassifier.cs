using MusicClassification.Features;

namespace MusicClassification.Classification;

/// <summary>Turns one song's features into labelled scores; the classify stage runs every registered classifier.</summary>
internal interface ISongClassifier
{
    /// <summary>Classifies the song; <see langword="null"/> when the features it needs were not computed.</summary>
    ValueTask<ClassifierOutput?> ClassifyAsync(SongFeatures features, CancellationToken cancellationToken);

    /// <summary>Describes the model from its manifest.</summary>
    ModelDescription Describe();
}
