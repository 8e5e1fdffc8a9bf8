namespace MusicClassification.Features;

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
}
