using MusicClassification.Decoding;

namespace MusicClassification.Features;

/// <summary>The feature stage's work on one decoded song; the seam the stage runs (and tests replace).</summary>
internal interface IFeatureExtractor
{
    ValueTask<SongFeatures> ExtractAsync(DecodedAudio audio, CancellationToken cancellationToken);
}
