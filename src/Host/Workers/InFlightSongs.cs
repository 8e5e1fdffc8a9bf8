namespace MusicClassification.Host.Workers;

/// <summary>Songs a worker is analysing, and a task that completes whenever there are none (for a stop that waits on them, not a polling loop).</summary>
internal sealed class InFlightSongs
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource _none = Idle();

    public void Enter()
    {
        lock (_gate)
        {
            if (_count++ == 0)
            {
                _none = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Leave()
    {
        TaskCompletionSource? none = null;
        lock (_gate)
        {
            if (--_count == 0)
            {
                none = _none;
            }
        }

        none?.TrySetResult();
    }

    /// <summary>Completes once no song is in flight (at once when none is).</summary>
    public Task WhenNoneAsync()
    {
        lock (_gate)
        {
            return _none.Task;
        }
    }

    private static TaskCompletionSource Idle()
    {
        var idle = new TaskCompletionSource();
        idle.SetResult();
        return idle;
    }
}
