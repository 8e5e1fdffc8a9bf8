namespace MusicClassification.Features;

/// <summary>What the feature stage learned about one song; small, so it outlives the decoded audio.</summary>
/// <param name="Descriptors">The measured descriptors.</param>
/// <param name="Gtzan">The GTZAN feature vector keyed by the table's column names, when computed.</param>
/// <param name="MusiCnnPatches">The MusiCNN log-mel patches, when a MusiCNN model will read them.</param>
internal sealed record SongFeatures(AudioDescriptors Descriptors, IReadOnlyDictionary<string, double>? Gtzan, MusiCnn.MusiCnnPatches? MusiCnnPatches = null);
