namespace MusicClassification.Classification;

/// <summary>What a classifier is given for one song in the classify stage.</summary>
public sealed class SongAnalysis
{
    internal SongAnalysis(string id, IReadOnlyDictionary<string, double>? gtzanFeatures, object? input)
    {
        Id = id;
        GtzanFeatures = gtzanFeatures;
        Input = input;
    }

    /// <summary>Gets the caller's identifier of the song, for logging.</summary>
    public string Id { get; }

    /// <summary>
    /// Gets the song's GTZAN feature vector at full precision (the 57 columns of <see cref="SongResult.GtzanFeatures"/>),
    /// or <see langword="null"/> when it was not computed.
    /// </summary>
    public IReadOnlyDictionary<string, double>? GtzanFeatures { get; }

    /// <summary>Gets what this classifier prepared from the audio (handed to <see cref="ISongClassifier{TInput}"/> typed).</summary>
    internal object? Input { get; }
}
