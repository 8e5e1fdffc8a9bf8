namespace MusicClassification.Engine;

/// <summary>
/// Bytes that songs reserve before their decoding starts and give back when their features are done, first come first
/// served, so memory is admitted before work rather than found missing in the middle of it; and at most
/// <paramref name="maxSongs"/> songs holding a reservation at once (songs in flight between decode and features). A
/// reservation larger than the whole budget is cut to it: such a song runs alone instead of never.
/// </summary>
internal sealed class MemoryBudget(long capacity, int maxSongs = int.MaxValue)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _available = capacity;
    private int _holders;

    public long Capacity { get; } = capacity;

    /// <summary>Gets the bytes reserved now.</summary>
    public long Reserved
    {
        get
        {
            lock (_gate)
            {
                return Capacity - _available;
            }
        }
    }

    /// <summary>Gets how many songs are waiting for memory.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> (at most the capacity), waiting in line until they are free.</summary>
    public ValueTask<Reservation> ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        long amount = Math.Clamp(bytes, 0, Capacity);
        Waiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= amount && _holders < maxSongs)
            {
                _available -= amount;
                _holders++;
                return ValueTask.FromResult(new Reservation(this, amount));
            }

            waiter = new Waiter(this, amount);
            waiter.Node = _waiters.AddLast(waiter);
        }

        return new ValueTask<Reservation>(WaitAsync(waiter, cancellationToken));
    }

    private async Task<Reservation> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Budget.Abandon((Waiter)state!, token), waiter))
        {
            await waiter.Granted.Task.ConfigureAwait(false);
        }

        return new Reservation(this, waiter.Amount);
    }

    private void Abandon(Waiter waiter, CancellationToken token)
    {
        List<Waiter> granted;
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                // Granted already: the reservation is returned by the caller's cancellation path as usual.
                return;
            }

            _waiters.Remove(waiter.Node);
            granted = GrantWaiting();
        }

        waiter.Granted.TrySetCanceled(token);
        Complete(granted);
    }

    private void Release(long amount)
    {
        List<Waiter> granted;
        lock (_gate)
        {
            _available += amount;
            _holders--;
            granted = GrantWaiting();
        }

        Complete(granted);
    }

    private static void Complete(List<Waiter> granted)
    {
        foreach (Waiter waiter in granted)
        {
            waiter.Granted.TrySetResult();
        }
    }

    /// <summary>Grants waiters in order while the first one fits (no overtaking, so a large song is never starved).</summary>
    private List<Waiter> GrantWaiting()
    {
        var granted = new List<Waiter>();
        while (_waiters.First is { } first && first.Value.Amount <= _available && _holders < maxSongs)
        {
            _available -= first.Value.Amount;
            _holders++;
            _waiters.RemoveFirst();
            granted.Add(first.Value);
        }

        return granted;
    }

    /// <summary>A song's reserved bytes; dispose to give them back (once).</summary>
    internal sealed class Reservation(MemoryBudget budget, long amount) : IDisposable
    {
        private int _released;

        public long Bytes => amount;

        /// <summary>Gets or sets what else ends with the reservation (the caller's place among the songs in flight).</summary>
        public Action? OnRelease { get; set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(amount);
                OnRelease?.Invoke();
            }
        }
    }

    private sealed class Waiter(MemoryBudget budget, long amount)
    {
        public MemoryBudget Budget { get; } = budget;

        public long Amount { get; } = amount;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
