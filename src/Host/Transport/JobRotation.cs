namespace MusicClassification.Host.Transport;

/// <summary>
/// Songs waiting in process, taken in turn from the oldest <c>lanes</c> jobs that have any (so a small job is not
/// stuck behind a large one, as <see cref="Jobs.JobOptions.MaxRunningJobs"/> promises), in each job in the order sent.
/// Takers wait without polling; a job's songs can be withdrawn at once.
/// </summary>
internal sealed class JobRotation<T>(int lanes)
{
    private readonly Lock _gate = new();
    private readonly List<(string Job, Queue<T> Songs)> _jobs = [];
    private readonly Queue<TaskCompletionSource<T>> _takers = new();
    private int _next;

    public void Add(string job, T song)
    {
        TaskCompletionSource<T>? taker = null;
        lock (_gate)
        {
            while (_takers.TryDequeue(out TaskCompletionSource<T>? waiting))
            {
                if (!waiting.Task.IsCompleted)
                {
                    taker = waiting;
                    break;
                }
            }

            if (taker is null)
            {
                int at = _jobs.FindIndex(entry => entry.Job == job);
                if (at < 0)
                {
                    _jobs.Add((job, new Queue<T>()));
                    at = _jobs.Count - 1;
                }

                _jobs[at].Songs.Enqueue(song);
                return;
            }
        }

        // Handed over outside the lock: the taker's continuation may run inline.
        if (!taker.TrySetResult(song))
        {
            Add(job, song);
        }
    }

    /// <summary>The next song in turn, waiting for one when none is queued.</summary>
    public Task<T> TakeAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<T> taker;
        lock (_gate)
        {
            if (_jobs.Count > 0)
            {
                int active = Math.Min(_jobs.Count, lanes);
                int at = _next % active;
                Queue<T> songs = _jobs[at].Songs;
                T song = songs.Dequeue();
                if (songs.Count == 0)
                {
                    _jobs.RemoveAt(at);
                    _next = at;
                }
                else
                {
                    _next = at + 1;
                }

                return Task.FromResult(song);
            }

            taker = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _takers.Enqueue(taker);
        }

        // A song handed to a taker that was cancelled meanwhile goes back (Add sees TrySetResult fail).
        CancellationTokenRegistration registration = cancellationToken.Register(
            static state => ((TaskCompletionSource<T>)state!).TrySetCanceled(), taker);
        return WaitAsync(taker, registration);
    }

    private static async Task<T> WaitAsync(TaskCompletionSource<T> taker, CancellationTokenRegistration registration)
    {
        await using (registration)
        {
            return await taker.Task;
        }
    }

    /// <summary>Forgets a job's songs not yet taken.</summary>
    public void Remove(string job)
    {
        lock (_gate)
        {
            int at = _jobs.FindIndex(entry => entry.Job == job);
            if (at >= 0)
            {
                _jobs.RemoveAt(at);
            }
        }
    }

    /// <summary>Songs queued, of every job.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Sum(entry => entry.Songs.Count);
            }
        }
    }
}
