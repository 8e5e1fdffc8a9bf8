namespace MusicClassification;

/// <summary>Which built-in classifiers run on each song; backends such as MusiCNN are added as <see cref="Classification.ISongClassifier"/>s.</summary>
public sealed class ClassificationOptions
{
    /// <summary>
    /// Gets or sets whether the embedded genre model (the project's own, trained on the GTZAN feature table; 10 genres)
    /// runs. It reads the GTZAN feature vector, so it also needs <see cref="FeatureOptions.GtzanVector"/> and a
    /// 22 050 Hz analysis rate.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool EmbeddedGenreModel { get; set; } = true;

    internal ClassificationOptions Copy() => (ClassificationOptions)MemberwiseClone();
}
