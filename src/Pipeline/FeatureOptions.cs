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

    internal FeatureOptions Copy() => (FeatureOptions)MemberwiseClone();
}
