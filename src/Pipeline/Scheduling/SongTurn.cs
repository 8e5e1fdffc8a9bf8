namespace MusicClassification.Scheduling;

/// <summary>
/// A song's claim on the CPU while it is inside a stage. Work that can wait (a batch's or a job's song) steps aside at
/// <see cref="Yield"/> and <see cref="YieldAsync"/> while a song someone is waiting for runs on a box with too few CPUs
/// for both; the stages call them where a pause costs nothing (between blocks of FFmpeg's output, between analyses).
/// </summary>
/// <remarks>
/// The turn is ambient, as <see cref="System.Diagnostics.Activity.Current"/> is: the decoder and the feature extractor
/// are also run without a pipeline (tools, tests), where there is no turn and the calls return at once, so they are not
/// handed one. It flows with the execution context, into the thread that reads FFmpeg's output too.
/// </remarks>
internal abstract class SongTurn
{
    private static readonly AsyncLocal<SongTurn?> Ambient = new();

    /// <summary>Gets or sets the turn of the song the current code works for; null outside a pipeline's stage.</summary>
    public static SongTurn? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>Gets a value indicating whether the song should step aside now; cheap, read without a lock.</summary>
    protected abstract bool ShouldYield { get; }

    /// <summary>Steps aside, blocking the calling thread, for as long as the song's turn says; for a thread of the song's own.</summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    public static void Yield(CancellationToken cancellationToken)
    {
        ValueTask wait = YieldAsync(cancellationToken);
        if (!wait.IsCompletedSuccessfully)
        {
            wait.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Steps aside without holding a thread, for as long as the song's turn says.</summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the song may go on.</returns>
    public static ValueTask YieldAsync(CancellationToken cancellationToken) =>
        Ambient.Value?.StepAsideAsync(cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>Steps aside without holding a thread, for as long as this turn says (the same as <see cref="YieldAsync"/> for the current song).</summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the song may go on.</returns>
    public ValueTask StepAsideAsync(CancellationToken cancellationToken) =>
        ShouldYield ? WaitAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Waits while the song must step aside.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes when the song may go on.</returns>
    protected abstract ValueTask WaitAsync(CancellationToken cancellationToken);
}
