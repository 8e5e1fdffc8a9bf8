namespace MusicClassification.Features.Gtzan;

/// <summary>By-products of the GTZAN pass that the descriptors reuse rather than recompute: the spectral shape statistics.</summary>
internal sealed record ExcerptAnalysis(Spectral.SpectralShapeMoments Spectral);
