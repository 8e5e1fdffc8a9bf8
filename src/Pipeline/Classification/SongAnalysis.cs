using MusicClassification.Scheduling;

namespace MusicClassification.Classification;

/// <summary>What a classifier is given for one song in the classify stage.</summary>
public sealed class SongAnalysis
{
    private readonly SongTurn? _turn;

    internal SongAnalysis(string id, IReadOnlyDictionary<string, double>? gtzanFeatures, object? input, SongTurn? turn = null)
    {
        _turn = turn;
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

    /// <summary>
    /// Lets songs someone is waiting for go first (<see cref="SongPriority"/>): when this is a batch song on a box with
    /// too few CPUs for it and the interactive songs in flight, waits until they are done (its timeout clock stopped, at
    /// most five seconds over the song's whole analysis); otherwise returns at once. Call it between long steps (one
    /// model and the next), never while holding something another song's classification needs, such as a lock or a
    /// limit on runs at once: the song someone is waiting for would then wait for this one.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the song may go on.</returns>
    public ValueTask YieldAsync(CancellationToken cancellationToken) => _turn?.StepAsideAsync(cancellationToken) ?? ValueTask.CompletedTask;
}
