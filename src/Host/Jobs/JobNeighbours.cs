using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// "More like this" within a job (<c>GET /jobs/{id}/similar</c>): the job's <see cref="SongSimilarity"/> index, built from
/// its stored results once per state of the job (its count of results) and kept for the last
/// <see cref="CachedJobs"/> jobs asked about, so that a 1000-song job answers in milliseconds after the first question.
/// </summary>
internal sealed class JobNeighbours(IJobStore store, IOptions<JobOptions> options)
{
    private const int CachedJobs = 16;

    private readonly ConcurrentDictionary<string, (int Done, long Used, SongSimilarity Index)> _indexes = new(StringComparer.Ordinal);
    private long _clock;

    public SongSimilarity For(JobRecord job)
    {
        long now = Interlocked.Increment(ref _clock);
        if (_indexes.TryGetValue(job.Id, out var cached) && cached.Done == job.Done)
        {
            _indexes[job.Id] = cached with { Used = now };
            return cached.Index;
        }

        SongSimilarity index = SongSimilarity.From(store.All(job.Id, options.Value.MaxPageSize));
        _indexes[job.Id] = (job.Done, now, index);
        while (_indexes.Count > CachedJobs && _indexes.MinBy(entry => entry.Value.Used) is { Key: { } oldest })
        {
            _indexes.TryRemove(oldest, out _);
        }

        return index;
    }
}
