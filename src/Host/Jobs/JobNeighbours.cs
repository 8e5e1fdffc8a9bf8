using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// "More like this" within a job (<c>GET /jobs/{id}/similar</c>): the job's <see cref="SongSimilarity"/> index, built from
/// its stored results once per state of the job (its count of results) and kept for the last
/// <see cref="CachedJobs"/> jobs asked about. A job's index is built as it completes, in the background, so that even
/// the first question about a finished 1000-song job is answered in milliseconds (building it takes ~90 ms).
/// </summary>
internal sealed class JobNeighbours(IJobStore store, IOptions<JobOptions> options)
{
    private const int CachedJobs = 16;

    private readonly ConcurrentDictionary<string, (int Done, long Used, SongSimilarity Index)> _indexes = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>Builds the index of a job that has just completed, off the caller's path.</summary>
    public void Warm(JobRecord job) => _ = Task.Run(() =>
    {
        try
        {
            For(job);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or System.Text.Json.JsonException or InvalidOperationException)
        {
            // The first question builds it then, and says what failed.
        }
    });

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
