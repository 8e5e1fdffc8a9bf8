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

    /// <summary>
    /// Gets or sets how many MusiCNN patches (≈3 s each) a song contributes, evenly spaced over the analysed window;
    /// <see langword="null"/> for every patch (Essentia's reference behaviour). Measured on 2 cores (docs/benchmarks.md):
    /// the six MusiCNN models cost about 0.16 CPU s per patch, so every patch of a 180 s window is ~10 CPU s per song,
    /// while 3 patches agree with it within 0.03 on every tag (same top 5) and 0.07 on moods and danceability.
    /// </summary>
    /// <value>Default 3.</value>
    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int? MaxPatches { get; set; } = 3;
}
