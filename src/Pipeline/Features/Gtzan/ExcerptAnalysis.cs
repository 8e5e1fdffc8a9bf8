namespace MusicClassification.Features.Gtzan;

/// <summary>By-products of the GTZAN pass that the descriptors reuse rather than recompute: the mean chroma and the tempo.</summary>
internal sealed record ExcerptAnalysis(float[] MeanChroma, Rhythm.TempoEstimate Tempo);
