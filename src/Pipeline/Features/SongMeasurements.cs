using MusicClassification.Decoding;
using MusicClassification.Features.Rhythm;
using MusicClassification.Features.Spectral;
using MusicClassification.Features.Tonal;

namespace MusicClassification.Features;

/// <summary>
/// What the feature stage measured about one song, at full precision and in the units of the definitions; the engine's
/// result mapper turns it into the public <see cref="AudioDescriptors"/> (names, rounding).
/// </summary>
/// <param name="Source">The song before decoding, with its loudness.</param>
/// <param name="AnalysedSeconds">The length of the analysed window.</param>
/// <param name="AnalysisSampleRate">The rate the window was analysed at.</param>
/// <param name="Level">RMS and sample peak of the analysed window.</param>
internal sealed record SongMeasurements(AudioSourceInfo Source, double AnalysedSeconds, int AnalysisSampleRate, SignalLevel Level)
{
    /// <summary>Gets the tempo and beats of the analysed window.</summary>
    public BeatAnalysis? Beats { get; init; }

    /// <summary>Gets the key of the analysed window; null without pitch content.</summary>
    public KeyEstimate? Key { get; init; }

    /// <summary>Gets the spectral shape moments of the GTZAN excerpt; null at another rate.</summary>
    public SpectralShapeMoments? Spectral { get; init; }
}
