using System.ComponentModel.DataAnnotations;

namespace MusicClassification;

/// <summary>Which features the pipeline computes for each song.</summary>
public sealed class FeatureOptions
{
    /// <summary>
    /// Gets or sets whether the 57-column GTZAN feature vector (librosa's features, as in features_30_sec.csv) is
    /// computed, on the middle 30 s of the analysed audio. It needs the analysis rate to be 22 050 Hz; at other rates it
    /// is skipped. It is what the embedded genre model reads.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool GtzanVector { get; set; } = true;

    /// <summary>
    /// Gets or sets the profile the key is found with: the song's mean harmonic pitch class profile (over the whole
    /// analysed window, as Essentia's <c>KeyExtractor</c> computes it) is correlated with this profile's 24 keys.
    /// </summary>
    /// <value>Default <see cref="KeyProfile.Edma"/>.</value>
    [EnumDataType(typeof(KeyProfile))]
    public KeyProfile KeyProfile { get; set; } = KeyProfile.Edma;

    /// <summary>
    /// Gets or sets whether each song gets its AcoustID fingerprint (<see cref="SongResult.Fingerprint"/>): Chromaprint's
    /// default algorithm over the first 120 s, the same string <c>fpcalc</c> prints, which AcoustID and MusicBrainz look
    /// up as it is. It needs FFmpeg and decodes the first 120 s once more (a second FFmpeg process beside the feature
    /// extraction), so it costs CPU on every song (docs/benchmarks.md).
    /// </summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool Fingerprint { get; set; }

    /// <summary>
    /// Gets or sets whether the tempo's five onset functions are computed at Essentia's 44.1 kHz, from the analysis
    /// window as it decodes (the song resampled for them when its rate differs), so that tempo, beats and confidence are
    /// Essentia's <c>RhythmExtractor2013</c>'s. Off, they are computed on the analysis signal (22.05 kHz by default),
    /// where the spectrum ends at 11 kHz: about 17 ms less CPU per 180 s song (roughly a tenth of a song's cost on a
    /// half-core box), and another tempo where hiss, cymbals or noise above 11 kHz carry the onsets (docs/tempo-and-key.md).
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool TempoAtEssentiaRate { get; set; } = true;

    internal FeatureOptions Copy() => (FeatureOptions)MemberwiseClone();
}
