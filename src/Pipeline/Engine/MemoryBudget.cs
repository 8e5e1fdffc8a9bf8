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
    public ValueTask<Reservation> ReserveAsync(long bytes, CancellationToken cancellationToken) =>
        ReserveAsync(bytes, Headroom.None, cancellationToken);

    /// <summary>
    /// Reserves <paramref name="bytes"/> only while <paramref name="keep"/> stays free beside it (as far as the capacity
    /// allows): a batch song leaves room for one song someone is waiting for. A reservation without headroom may pass
    /// waiters that have one; waiters of the same kind never pass each other.
    /// </summary>
    public ValueTask<Reservation> ReserveAsync(long bytes, Headroom keep, CancellationToken cancellationToken)
    {
        long amount = Math.Clamp(bytes, 0, Capacity);
        var waiter = new Waiter(this, amount, keep with { Bytes = Math.Min(keep.Bytes, Capacity - amount) });
        List<Waiter> granted;
        lock (_gate)
        {
            // In line first, then granted by the same rule as everyone: it may pass waiters of the other kind.
            waiter.Node = _waiters.AddLast(waiter);
            granted = GrantWaiting();
        }

        Complete(granted);
        return waiter.Granted.Task.IsCompletedSuccessfully
            ? ValueTask.FromResult(new Reservation(this, amount))
            : new ValueTask<Reservation>(WaitAsync(waiter, cancellationToken));
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

    /// <summary>
    /// Grants waiters in order while they fit. Within a kind there is no overtaking, so a large song is never starved; a
    /// waiter without headroom that does not fit stops everyone behind it, one with headroom only those with headroom.
    /// </summary>
    private List<Waiter> GrantWaiting()
    {
        var granted = new List<Waiter>();
        bool headroomBlocked = false;
        for (LinkedListNode<Waiter>? node = _waiters.First; node is not null;)
        {
            LinkedListNode<Waiter>? next = node.Next;
            Waiter waiter = node.Value;
            bool keeps = waiter.Keep != Headroom.None;
            if ((!keeps || !headroomBlocked) && Fits(waiter))
            {
                _available -= waiter.Amount;
                _holders++;
                _waiters.Remove(node);
                granted.Add(waiter);
            }
            else if (keeps)
            {
                headroomBlocked = true;
            }
            else
            {
                break;
            }

            node = next;
        }

        return granted;
    }

    private bool Fits(Waiter waiter) =>
        waiter.Amount + waiter.Keep.Bytes <= _available && _holders + 1 + waiter.Keep.Songs <= maxSongs;

    /// <summary>What a reservation leaves free beside itself: bytes, and places among the songs holding memory.</summary>
    internal readonly record struct Headroom(long Bytes, int Songs)
    {
        public static Headroom None => default;
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

    private sealed class Waiter(MemoryBudget budget, long amount, Headroom keep)
    {
        public MemoryBudget Budget { get; } = budget;

        public long Amount { get; } = amount;

        public Headroom Keep { get; } = keep;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
