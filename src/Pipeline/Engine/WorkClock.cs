namespace MusicClassification.Engine;

/// <summary>
/// Measures each song's own work against its deadline. A song's clock runs only while the song is inside a stage (not
/// while it waits for a worker or for memory), and then at the share of the CPU it can get: with more songs working
/// than the process has CPUs (0.5 on a half-core quota), each is charged its fair share of the time that passes, not
/// all of it. So a healthy song on a starved box is never timed out for the box's slowness, and a hostile one is still
/// stopped once it has had <see cref="PipelineOptions.SongTimeout"/> of CPU. Event-driven: each time a song enters or
/// leaves a stage, the clocks of those working are settled and their timers set anew.
/// </summary>
internal sealed class WorkClock(TimeProvider time, double cpus)
{
    private readonly Lock _gate = new();
    private readonly HashSet<SongDeadline> _working = [];

    public TimeProvider Time => time;

    /// <summary>Gets how many songs are inside a stage now.</summary>
    public int Working
    {
        get
        {
            lock (_gate)
            {
                return _working.Count;
            }
        }
    }

    /// <summary>A deadline of <paramref name="budget"/> of work; its token is cancelled when the work is used up.</summary>
    public SongDeadline Start(TimeSpan budget) => new(this, budget);

    internal void Enter(SongDeadline deadline)
    {
        lock (_gate)
        {
            long now = time.GetTimestamp();
            Settle(now);
            deadline.Since = now;
            _working.Add(deadline);
            Reschedule();
        }
    }

    internal void Leave(SongDeadline deadline)
    {
        lock (_gate)
        {
            Settle(time.GetTimestamp());
            if (_working.Remove(deadline))
            {
                deadline.Pause();
            }

            Reschedule();
        }
    }

    private double Share => _working.Count == 0 ? 1 : Math.Min(1, cpus / _working.Count);

    private void Settle(long now)
    {
        double share = Share;
        foreach (SongDeadline deadline in _working)
        {
            deadline.Used += time.GetElapsedTime(deadline.Since, now) * share;
            deadline.Since = now;
        }
    }

    private void Reschedule()
    {
        double share = Share;
        foreach (SongDeadline deadline in _working)
        {
            deadline.Schedule((deadline.Budget - deadline.Used) / share);
        }
    }
}

/// <summary>One song's deadline on a <see cref="WorkClock"/>: a token that is cancelled once the song's own work has used its budget.</summary>
internal sealed class SongDeadline : IDisposable
{
    private readonly WorkClock _clock;
    private readonly CancellationTokenSource _expired = new();
    private readonly ITimer _timer;

    internal SongDeadline(WorkClock clock, TimeSpan budget)
    {
        _clock = clock;
        Budget = budget;
        _timer = clock.Time.CreateTimer(static state => ((SongDeadline)state!).Expire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan Budget { get; }

    /// <summary>Gets the work charged so far (settled when the song last entered or left a stage).</summary>
    public TimeSpan Used { get; internal set; }

    public CancellationToken Token => _expired.Token;

    public bool HasExpired => _expired.IsCancellationRequested;

    internal long Since { get; set; }

    /// <summary>Runs the clock until the returned scope is disposed (the song is inside a stage).</summary>
    public Scope Working()
    {
        _clock.Enter(this);
        return new Scope(this);
    }

    /// <summary>Stops the clock inside a stage while the song steps aside for others (<see cref="Resume"/> starts it again).</summary>
    internal void Suspend() => _clock.Leave(this);

    /// <summary>Starts the clock again after <see cref="Suspend"/>.</summary>
    internal void Resume() => _clock.Enter(this);

    internal void Schedule(TimeSpan remaining)
    {
        if (remaining <= TimeSpan.Zero)
        {
            // Not synchronously: cancellation callbacks (killing a decoder) must not run under the clock's lock.
            _ = _expired.CancelAsync();
            return;
        }

        _timer.Change(remaining, Timeout.InfiniteTimeSpan);
    }

    internal void Pause() => _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _clock.Leave(this);
        _timer.Dispose();
        _expired.Dispose();
    }

    private void Expire()
    {
        try
        {
            _expired.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The song finished as its time ran out.
        }
    }

    /// <summary>The span in which the song is inside a stage.</summary>
    internal readonly struct Scope(SongDeadline deadline) : IDisposable
    {
        public void Dispose() => deadline._clock.Leave(deadline);
    }
}
