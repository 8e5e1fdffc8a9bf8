using System.Threading.Tasks.Dataflow;
using MusicClassification.Diagnostics;

namespace MusicClassification.Engine;

/// <summary>
/// Moves songs from the callers' lanes into the shared mesh, one song per lane in turn (round robin). The mesh's own
/// input holds only a few songs, so a newly arrived caller waits for at most one song of each other active caller plus
/// what the stages already hold; this is how fairness between a single-song call and a 1000-song batch is achieved.
/// The next song is chosen only once its memory is reserved, and only from a caller with fewer than
/// <c>perCaller</c> songs in flight: on a box of at most one CPU a batch runs one song at a time (two would only take
/// turns on the CPU), while a single song sent meanwhile starts at once beside it instead of waiting for it.
/// A pipeline has one dispatcher per <see cref="SongPriority"/>, each feeding a mesh of its own.
/// </summary>
internal sealed class FairDispatcher : IAsyncDisposable
{
    private readonly List<BatchLane> _lanes = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ITargetBlock<SongWork> _head;
    private readonly MemoryBudget _memory;
    private readonly PriorityGate _gate;
    private readonly long _bytesPerSong;
    private readonly MemoryBudget.Headroom _keep;
    private readonly int _perCaller;
    // A flag more than a count: "some caller's song left flight since you last looked" (at most one pending signal).
    private readonly SemaphoreSlim _flightEnded = new(0, 1);
    private int _next;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the dispatcher of one priority's lanes.</summary>
    /// <remarks>
    /// Batch songs leave room in the memory budget for one interactive song when it holds at least two songs, so a
    /// single song sent during a batch starts at once instead of waiting for a batch song to finish its features.
    /// </remarks>
    public FairDispatcher(ITargetBlock<SongWork> head, MemoryBudget memory, PriorityGate gate, PipelineSizing sizing, SongPriority priority)
    {
        _head = head;
        _memory = memory;
        _gate = gate;
        _bytesPerSong = sizing.BytesPerSong;
        _perCaller = sizing.MaxSongsInFlightPerCaller;
        bool roomForTwo = sizing.MemoryBudgetBytes >= 2 * sizing.BytesPerSong && sizing.MaxSongsInFlight >= 2;
        _keep = priority == SongPriority.Batch && roomForTwo ? new MemoryBudget.Headroom(sizing.BytesPerSong, 1) : MemoryBudget.Headroom.None;
    }

    public void Start() => _loop = Task.Run(RunAsync);

    public void Register(BatchLane lane)
    {
        lock (_lanes)
        {
            _lanes.Add(lane);
        }
    }

    public void Unregister(BatchLane lane)
    {
        lock (_lanes)
        {
            _lanes.Remove(lane);
        }
    }

    public BatchLane[] ActiveLanes()
    {
        lock (_lanes)
        {
            return [.. _lanes];
        }
    }

    /// <summary>Says one more song was admitted to some lane; one signal per admitted song keeps none stranded.</summary>
    public void Signal() => _available.Release();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _available.Dispose();
        _flightEnded.Dispose();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            MemoryBudget.Reservation memory;
            try
            {
                await _available.WaitAsync(_stop.Token).ConfigureAwait(false);
                while (Waiting() == Wait.ShareFull)
                {
                    // Every caller with a song waiting has its share in flight: wait for one of them to end.
                    await _flightEnded.WaitAsync(_stop.Token).ConfigureAwait(false);
                }

                memory = await _memory.ReserveAsync(_bytesPerSong, _keep, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (TakeNext() is not { } work)
            {
                // A song that is still waiting keeps its signal; one a cancelled caller took back leaves none.
                memory.Dispose();
                if (Waiting() != Wait.None)
                {
                    _available.Release();
                }

                continue;
            }

            work.Lane.EnterFlight();
            BatchLane lane = work.Lane;
            memory.OnRelease = () =>
            {
                lane.LeaveFlight();
                SignalFlightEnded();
            };

            if (work.Lane.Token.IsCancellationRequested)
            {
                memory.Dispose();
                work.Fail(new SongError(SongErrorCode.Cancelled, "The batch was cancelled before the song started."));
                work.Lane.Deliver(work);
                continue;
            }

            work.Memory = memory;

            work.MarkDispatched(_gate);
            PipelineMetrics.SongsInFlight.Add(1);
            if (!await _head.SendAsync(work).ConfigureAwait(false))
            {
                work.Fail(new SongError(SongErrorCode.Cancelled, "The pipeline is shutting down."));
                work.Lane.Deliver(work);
            }
        }
    }

    private void SignalFlightEnded()
    {
        try
        {
            _flightEnded.Release();
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already signalled, or the dispatcher has stopped.
        }
    }

    private enum Wait
    {
        None,
        ShareFull,
        Takeable,
    }

    private Wait Waiting()
    {
        lock (_lanes)
        {
            bool any = false;
            foreach (BatchLane lane in _lanes)
            {
                if (lane.HasWaiting)
                {
                    if (lane.InFlight < _perCaller)
                    {
                        return Wait.Takeable;
                    }

                    any = true;
                }
            }

            return any ? Wait.ShareFull : Wait.None;
        }
    }

    private SongWork? TakeNext()
    {
        lock (_lanes)
        {
            int count = _lanes.Count;
            for (int i = 0; i < count; i++)
            {
                int index = (_next + i) % count;
                if (_lanes[index].InFlight < _perCaller && _lanes[index].TryTake(out SongWork work))
                {
                    _next = (index + 1) % count;
                    return work;
                }
            }

            return null;
        }
    }
}
