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
    private CancellationTokenSource? _timeout;
    private CancellationTokenSource? _linked;
    private TimeSpan _queued;
    private TimeSpan _decode;
    private TimeSpan _features;
    private TimeSpan _classify;

    public SongWork(SongInput input, int index, BatchLane lane, long admittedTimestamp)
    {
        Input = input;
        Index = index;
        Lane = lane;
        _admittedTimestamp = admittedTimestamp;
        Token = lane.Token;
    }

    public SongInput Input { get; }

    public int Index { get; }

    public BatchLane Lane { get; }

    /// <summary>Gets the token every stage observes: the batch's cancellation plus, once started, the per-song timeout.</summary>
    public CancellationToken Token { get; private set; }

    public DecodedAudio? Audio { get; set; }

    public SongFeatures? Features { get; set; }

    /// <summary>Gets or sets what each classifier prepared from the audio in the feature stage, by classifier index.</summary>
    public object?[]? Prepared { get; set; }

    public List<ClassifierOutput>? Classifications { get; set; }

    public SongError? Error { get; private set; }

    public bool IsFailed => Error is not null;

    public bool WasDispatched { get; private set; }

    public void MarkDispatched() => WasDispatched = true;

    /// <summary>Starts the per-song clock when a decode worker takes the song, so time spent queued never counts against it.</summary>
    public void Start(TimeProvider time, TimeSpan timeout)
    {
        _queued = time.GetElapsedTime(_admittedTimestamp);
        _timeout = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(Lane.Token, _timeout.Token);
        Token = _linked.Token;
    }

    /// <summary>Tells the caller's (or the pipeline's) cancellation apart from this song's own timeout.</summary>
    public SongErrorCode CancellationCode() =>
        !Lane.Token.IsCancellationRequested && _timeout is { IsCancellationRequested: true } ? SongErrorCode.Timeout : SongErrorCode.Cancelled;

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
        _linked?.Dispose();
        _timeout?.Dispose();
    }
}
