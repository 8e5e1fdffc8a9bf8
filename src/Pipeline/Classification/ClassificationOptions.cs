namespace MusicClassification.Classification;

/// <summary>Which classifiers run on each song.</summary>
public sealed class ClassificationOptions
{
    /// <summary>
    /// Gets or sets whether the embedded genre model (the project's own, trained on the GTZAN feature table; 10 genres)
    /// runs. It reads the GTZAN feature vector, so it also needs <see cref="Features.FeatureOptions.GtzanVector"/> and a
    /// 22 050 Hz analysis rate.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool EmbeddedGenreModel { get; set; } = true;
}
