using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using MusicClassification.Diagnostics;

namespace MusicClassification.Engine;

/// <summary>
/// One caller's batch inside the shared pipeline: its bounded admission queue, its window of songs not yet handed back,
/// its cancellation and its result stream. The dispatcher takes songs from lanes in turn, which is what keeps a
/// single-song call from waiting behind another caller's thousand songs.
/// </summary>
internal sealed class BatchLane : IDisposable
{
    private readonly BufferBlock<SongWork> _admission;
    private readonly SemaphoreSlim _window;
    private readonly Channel<SongResult> _results = Channel.CreateUnbounded<SongResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cancellation;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One count for the open submission plus one per admitted song not yet delivered; zero completes the results.
    private int _outstanding = 1;
    private int _submitted;
    private int _slotsHeld;
    private int _inFlight;
    private volatile bool _submissionComplete;

    private readonly ResultMapper _mapper;
    private readonly CancellationToken[] _sources;

    public BatchLane(int capacity, ResultMapper mapper, CancellationToken pipelineShutdown, CancellationToken callerToken, CancellationToken enumeratorToken, SongPriority priority = SongPriority.Batch)
    {
        Priority = priority;
        _admission = new BufferBlock<SongWork>(new DataflowBlockOptions { BoundedCapacity = capacity, EnsureOrdered = true });
        _window = new SemaphoreSlim(capacity, capacity);
        _mapper = mapper;
        _sources = [pipelineShutdown, callerToken, enumeratorToken];
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(pipelineShutdown, callerToken, enumeratorToken);
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets whether someone waits for these songs (a single song) or they can step aside for those who do.</summary>
    public SongPriority Priority { get; }

    /// <summary>
    /// Gets whether the batch is cancelled, asked of its sources too: a caller's song sequence may observe the caller's
    /// token (and throw) before the linked <see cref="Token"/> has run its callback.
    /// </summary>
    public bool IsCancellationRequested => Token.IsCancellationRequested || Array.Exists(_sources, t => t.IsCancellationRequested);

    /// <summary>Gets how many of this caller's songs are between the start of their decoding and the end of their features.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void EnterFlight() => Interlocked.Increment(ref _inFlight);

    public void LeaveFlight() => Interlocked.Decrement(ref _inFlight);

    public int Submitted => Volatile.Read(ref _submitted);

    public bool SubmissionComplete => _submissionComplete;

    public ChannelReader<SongResult> Results => _results.Reader;

    /// <summary>Gets a task that completes once every admitted song has been delivered (read or not).</summary>
    public Task Drained => _drained.Task;

    public ExceptionDispatchInfo? SourceError { get; set; }

    /// <summary>Admits one song, waiting while the lane's window is full (back-pressure). False when cancelled first.</summary>
    public async Task<bool> AdmitAsync(SongWork work)
    {
        Interlocked.Increment(ref _outstanding);
        Interlocked.Increment(ref _submitted);
        PipelineMetrics.SongsStarted.Add(1);
        bool queued = false;
        try
        {
            await _window.WaitAsync(Token).ConfigureAwait(false);
            Interlocked.Increment(ref _slotsHeld);
            PipelineMetrics.QueueDepth.Add(1);
            queued = true;
            if (await _admission.SendAsync(work, Token).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
        }

        if (queued)
        {
            PipelineMetrics.QueueDepth.Add(-1);
        }

        work.Fail(new SongError(SongErrorCode.Cancelled, "The batch was cancelled before the song started."));
        Deliver(work);
        return false;
    }

    /// <summary>Gets a value indicating whether a song of this caller waits to be dispatched.</summary>
    public bool HasWaiting => _admission.Count > 0;

    public bool TryTake(out SongWork work)
    {
        if (_admission.TryReceive(out SongWork? taken))
        {
            PipelineMetrics.QueueDepth.Add(-1);
            work = taken;
            return true;
        }

        work = null!;
        return false;
    }

    /// <summary>Hands a finished song back to its caller. Never throws: it runs inside the mesh's last block.</summary>
    public void Deliver(SongWork work)
    {
        SongResult result = _mapper.ToResult(work);
        if (work.WasDispatched)
        {
            PipelineMetrics.SongsInFlight.Add(-1);
        }

        if (result.Error is { } error)
        {
            PipelineMetrics.RecordFailure(error.Code);
        }
        else
        {
            PipelineMetrics.SongsSucceeded.Add(1);
            PipelineMetrics.AudioProcessed.Add(result.Audio!.AnalysedSeconds);
        }

        PipelineMetrics.SongDuration.Record(result.Timings.Total.TotalSeconds, result.Succeeded ? PipelineMetrics.SucceededTag : PipelineMetrics.FailedTag);
        PipelineTracing.EndSong(work.Trace, result.Error?.Code);

        work.Dispose();
        _results.Writer.TryWrite(result);
        ReleaseOutstanding();
    }

    /// <summary>Frees one window slot once the caller has taken a result.</summary>
    public void ReleaseSlot()
    {
        // Songs cancelled while waiting for the window never held a slot; the counter keeps releases matched.
        if (Interlocked.Decrement(ref _slotsHeld) >= 0)
        {
            _window.Release();
        }
        else
        {
            Interlocked.Increment(ref _slotsHeld);
        }
    }

    public void CompleteSubmission()
    {
        _submissionComplete = true;
        ReleaseOutstanding();
    }

    /// <summary>Stops the lane early (the caller stopped reading): songs still queued or running finish as cancelled.</summary>
    public void Abandon()
    {
        if (!_drained.Task.IsCompleted)
        {
            _cancellation.Cancel();
        }
    }

    public void Dispose()
    {
        _cancellation.Dispose();
        _window.Dispose();
    }

    private void ReleaseOutstanding()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _results.Writer.TryComplete();
            _drained.TrySetResult();
        }
    }
}
