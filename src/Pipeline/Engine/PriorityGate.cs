namespace MusicClassification.Engine;

/// <summary>
/// Gives songs someone is waiting for (<see cref="SongPriority.Interactive"/>) the CPU before batch songs on a box with
/// too few CPUs for both. Batch songs inside a stage and interactive songs in flight together may use the box's whole
/// CPUs (at least one); past that, batch songs step aside at their next turn point, their deadline clock stopped, and
/// go on as interactive songs are delivered. On half a core a single song sent during a batch otherwise shares the CPU
/// with the batch song and waits for it in each stage: about eight times its time on an idle host (docs/benchmarks.md).
/// A batch song steps aside for at most <see cref="MaxPause"/> in all, so a stream of single songs slows batches but
/// never stops them.
/// </summary>
internal sealed class PriorityGate(double cpus, TimeProvider time)
{
    /// <summary>The most a batch song waits for interactive songs over its whole life.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _paused = new();
    private readonly int _cpus = Math.Max(1, (int)Math.Floor(cpus));
    private int _interactive;
    private int _batchRunning;

    public TimeProvider Time => time;

    /// <summary>Gets how many interactive songs are between their dispatch and their delivery.</summary>
    public int Interactive => Volatile.Read(ref _interactive);

    /// <summary>Gets how many batch songs are stepping aside now.</summary>
    public int Paused
    {
        get
        {
            lock (_lock)
            {
                return _paused.Count;
            }
        }
    }

    /// <summary>Gets a value indicating whether batch songs should step aside; read without the lock, decided under it.</summary>
    public bool Crowded
    {
        get
        {
            int interactive = Volatile.Read(ref _interactive);
            return interactive > 0 && Volatile.Read(ref _batchRunning) + interactive > _cpus;
        }
    }

    public void InteractiveStarted()
    {
        lock (_lock)
        {
            _interactive++;
        }
    }

    public void InteractiveEnded() => Change(ref _interactive, -1);

    public void BatchEntered()
    {
        lock (_lock)
        {
            _batchRunning++;
        }
    }

    public void BatchLeft() => Change(ref _batchRunning, -1);

    /// <summary>Takes a running batch song out of the count if the box is crowded; null when it may go on.</summary>
    public LinkedListNode<TaskCompletionSource>? TryPause()
    {
        lock (_lock)
        {
            if (_interactive == 0 || _batchRunning + _interactive <= _cpus)
            {
                return null;
            }

            _batchRunning--;
            return _paused.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>Ends a pause that was not ended by a delivery (its allowance ran out, or it was cancelled): the song counts as running again.</summary>
    public void EndPause(LinkedListNode<TaskCompletionSource> pause)
    {
        lock (_lock)
        {
            if (pause.List is not null)
            {
                _paused.Remove(pause);
                _batchRunning++;
            }
        }
    }

    private void Change(ref int count, int delta)
    {
        List<TaskCompletionSource> woken = [];
        lock (_lock)
        {
            count += delta;
            int allowed = _interactive == 0 ? int.MaxValue : _cpus - _interactive;
            while (_paused.First is { } first && _batchRunning < allowed)
            {
                _paused.RemoveFirst();
                _batchRunning++;
                woken.Add(first.Value);
            }
        }

        foreach (TaskCompletionSource pause in woken)
        {
            pause.TrySetResult();
        }
    }
}
