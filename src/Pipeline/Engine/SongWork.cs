using MusicClassification.Decoding;
using MusicClassification.Diagnostics;
using MusicClassification.Classification;
using MusicClassification.Features;

namespace MusicClassification.Engine;

/// <summary>
/// The envelope one song travels in through the blocks: its input, its per-song cancellation, what each stage
/// produced and, once anything fails, the one error it ends with. Later stages pass failed work straight through.
/// </summary>
internal sealed class SongWork : IDisposable
{
    private readonly long _admittedTimestamp;
    private SongDeadline? _deadline;
    private CancellationTokenSource? _linked;
    private TimeSpan _queued;
    private TimeSpan _decode;
    private TimeSpan _features;
    private TimeSpan _classify;
    private PriorityGate? _interactiveOn;

    public SongWork(SongInput input, int index, BatchLane lane, long admittedTimestamp)
    {
        Input = input;
        Index = index;
        Lane = lane;
        _admittedTimestamp = admittedTimestamp;
        Token = lane.Token;
        Trace = Diagnostics.PipelineTracing.StartSong(index);
    }

    /// <summary>Gets the song's span (null when nobody listens), ended when its result is delivered.</summary>
    public System.Diagnostics.Activity? Trace { get; }

    public SongInput Input { get; }

    public int Index { get; }

    public BatchLane Lane { get; }

    /// <summary>Gets the token every stage observes: the batch's cancellation plus, once started, the per-song timeout.</summary>
    public CancellationToken Token { get; private set; }

    public DecodedAudio? Audio { get; set; }

    public SongFeatures? Features { get; set; }

    /// <summary>The song's AcoustID fingerprint, when fingerprints are on and one could be made.</summary>
    public string? Fingerprint { get; set; }

    /// <summary>Gets or sets what each classifier prepared from the audio in the feature stage, by classifier index.</summary>
    public object?[]? Prepared { get; set; }

    public List<ClassifierOutput>? Classifications { get; set; }

    public SongError? Error { get; private set; }

    public bool IsFailed => Error is not null;

    public bool WasDispatched { get; private set; }

    /// <summary>Gets the song's turn on the CPU when it is a batch song (null for an interactive one, which never steps aside).</summary>
    public BatchTurn? Turn { get; private set; }

    /// <summary>Marks the song as on its way into the mesh: an interactive song counts on <paramref name="gate"/> until it is delivered, a batch song gets its turn.</summary>
    public void MarkDispatched(PriorityGate gate)
    {
        WasDispatched = true;
        if (Lane.Priority == SongPriority.Interactive)
        {
            gate.InteractiveStarted();
            _interactiveOn = gate;
        }
        else
        {
            Turn = new BatchTurn(gate, this);
        }
    }

    /// <summary>Gets or sets the memory the song reserved before its decoding, given back once its features are done.</summary>
    public MemoryBudget.Reservation? Memory { get; set; }

    /// <summary>
    /// Gives the song its deadline when a decode worker takes it. The deadline's clock runs only while the song is
    /// inside a stage (<see cref="Working"/>), at the CPU share it gets there, so waiting never counts against it.
    /// </summary>
    public void Start(WorkClock clock, TimeSpan timeout)
    {
        _queued = clock.Time.GetElapsedTime(_admittedTimestamp);
        _deadline = clock.Start(timeout);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(Lane.Token, _deadline.Token);
        Token = _linked.Token;
    }

    /// <summary>Runs the song's deadline clock, and counts a batch song as running, until the scope is disposed.</summary>
    public WorkScope Working()
    {
        _deadline?.Resume();
        Turn?.Enter();
        return new WorkScope(this);
    }

    /// <summary>Stops the song's clock while it steps aside inside a stage (see <see cref="BatchTurn"/>).</summary>
    public void StepAside() => _deadline?.Suspend();

    /// <summary>Starts the song's clock again after <see cref="StepAside"/>.</summary>
    public void StepBack() => _deadline?.Resume();

    /// <summary>Tells the caller's (or the pipeline's) cancellation apart from this song's own timeout.</summary>
    public SongErrorCode CancellationCode() =>
        !Lane.Token.IsCancellationRequested && _deadline is { HasExpired: true } ? SongErrorCode.Timeout : SongErrorCode.Cancelled;

    public void Fail(SongError error) => Error ??= error;

    public void RecordStage(PipelineStage stage, TimeSpan elapsed)
    {
        switch (stage)
        {
            case PipelineStage.Decode:
                _decode = elapsed;
                break;
            case PipelineStage.Features:
                _features = elapsed;
                break;
            default:
                _classify = elapsed;
                break;
        }
    }

    public StageTimings Timings => new(_queued, _decode, _features, _classify);

    public void Dispose()
    {
        Audio?.Dispose();
        Audio = null;
        Prepared = null;
        Memory?.Dispose();
        Memory = null;
        _linked?.Dispose();
        _deadline?.Dispose();
        Interlocked.Exchange(ref _interactiveOn, null)?.InteractiveEnded();
    }

    /// <summary>The span in which the song is inside a stage.</summary>
    internal readonly struct WorkScope(SongWork work) : IDisposable
    {
        public void Dispose()
        {
            work.Turn?.Leave();
            work._deadline?.Suspend();
        }
    }
}
