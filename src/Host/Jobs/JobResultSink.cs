using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Where every job result ends, whoever produced it (this process's pipeline, a worker through the broker, the host
/// failing a song itself): stored at most once per song, the song's file deleted once its result is stored, and the
/// job completed (its folder removed) by the result that finishes it.
/// </summary>
internal sealed partial class JobResultSink(
    IJobStore store, JobSpool spool, JobNeighbours neighbours, IOptions<JobOptions> options, IOptions<JsonOptions> json, TimeProvider time, ILogger<JobResultSink> logger)
{
    /// <summary>Stores a result in the job's shape (features only when the job asked for them); true when it was the song's first.</summary>
    public Task<bool> StoreAsync(string jobId, SongResult result, bool includeFeatures) =>
        StoreAsync(jobId, result.Index, JsonSerializer.Serialize(result.Shown(includeFeatures), json.Value.SerializerOptions), result.Succeeded);

    /// <summary>Stores a result already serialised (as a worker sent it); true when it was the song's first.</summary>
    public async Task<bool> StoreAsync(string jobId, int index, string resultJson, bool succeeded)
    {
        if (!await store.StoreResultAsync(jobId, index, resultJson, succeeded, time.GetUtcNow()))
        {
            return false;
        }

        spool.DeleteSong(spool.SongPath(jobId, index));
        await CompleteIfDoneAsync(jobId);
        return true;
    }

    /// <summary>Fails a song whose stored file the service can no longer read (<see cref="SongResults.Lost"/>).</summary>
    public Task<bool> StoreLostAsync(string jobId, PendingSong song) =>
        StoreAsync(jobId, SongResults.Lost(song.Id, song.Index), includeFeatures: false);

    /// <summary>Completes the job if every song has its result (also a job whose songs all failed at upload).</summary>
    public async Task<bool> CompleteIfDoneAsync(string jobId)
    {
        if (!await store.CompleteIfDoneAsync(jobId, time.GetUtcNow(), options.Value.Retention))
        {
            return false;
        }

        spool.DeleteJob(jobId);
        if (store.Find(jobId) is { } job)
        {
            LogCompleted(logger, jobId, job.Succeeded, job.Failed);
            neighbours.Warm(job);
        }

        return true;
    }

    [LoggerMessage(1, LogLevel.Information, "Job {JobId} completed: {Succeeded} succeeded, {Failed} failed")]
    private static partial void LogCompleted(ILogger logger, string jobId, int succeeded, int failed);
}
