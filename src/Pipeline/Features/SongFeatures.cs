namespace MusicClassification.Features;

/// <summary>What the feature stage learned about one song; small, so it outlives the decoded audio.</summary>
internal sealed record SongFeatures(AudioDescriptors Descriptors);
