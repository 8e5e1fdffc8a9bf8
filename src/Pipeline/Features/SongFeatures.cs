namespace MusicClassification.Features;

/// <summary>What the feature stage learned about one song; small, so it outlives the decoded audio.</summary>
/// <param name="Measurements">The measured descriptors, unrounded.</param>
/// <param name="Gtzan">The GTZAN feature vector keyed by the table's column names, when computed.</param>
internal sealed record SongFeatures(SongMeasurements Measurements, IReadOnlyDictionary<string, double>? Gtzan);
