using MusicClassification.Dsp;

namespace MusicClassification.Features.Spectral;

/// <summary>The moments of the per-frame spectral shape over the GTZAN excerpt, at full precision.</summary>
/// <param name="CentroidHz">Spectral centroid, Hz.</param>
/// <param name="BandwidthHz">Spectral bandwidth (second-order spread), Hz.</param>
/// <param name="RolloffHz">85 % roll-off frequency, Hz.</param>
/// <param name="Flatness">Spectral flatness, 0 … 1.</param>
internal sealed record SpectralShapeMoments(Moments CentroidHz, Moments BandwidthHz, Moments RolloffHz, Moments Flatness);
