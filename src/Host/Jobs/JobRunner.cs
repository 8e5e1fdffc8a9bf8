using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Analyses queued jobs through the shared pipeline, <see cref="JobOptions.MaxRunningJobs"/> at a time (each a fair lane
/// beside the HTTP callers). Every result is committed as it completes and its song file deleted; unfinished jobs are
/// resumed at start-up, where only the songs without a stored result are analysed. When the host stops, no new song is
/// started, songs in progress get <see cref="JobOptions.ShutdownGracePeriod"/> to finish, and the rest stay queued.
/// </summary>
internal sealed partial class JobRunner(
    JobStore store,
    JobSpool spool,
    MusicClassificationPipeline pipeline,
    IOptions<JobOptions> options,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<JobRunner> logger) : BackgroundService, IJobExecutor
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly JobOptions _options = options.Value;

    /// <summary>Gets a value indicating whether new jobs are accepted: always, in process.</summary>
    public bool IsAvailable => true;

    /// <summary>Queues a job whose upload is stored.</summary>
    public void Enqueue(string jobId) => _queue.Writer.TryWrite(jobId);

    /// <summary>Stops a job's analysis if it is running and waits until it has let go of its files.</summary>
    public async Task StopAsync(string jobId)
    {
        if (_running.TryGetValue(jobId, out RunningJob? job))
        {
            await job.Cancel.CancelAsync();
            await job.Finished.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.IsAvailable)
        {
            return;
        }

        foreach (string jobId in store.Unfinished())
        {
            Enqueue(jobId);
        }

        // Songs in progress when the host stops get the grace period; then their analysis is cancelled.
        using var grace = new CancellationTokenSource();
        await using CancellationTokenRegistration startGrace = stoppingToken.Register(() => grace.CancelAfter(_options.ShutdownGracePeriod));
        await Task.WhenAll(Enumerable.Range(0, _options.MaxRunningJobs).Select(_ => WorkAsync(stoppingToken, grace.Token)));
    }

    private async Task WorkAsync(CancellationToken stopping, CancellationToken grace)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping))
            {
                if (_queue.Reader.TryRead(out string? jobId))
                {
                    await RunAsync(jobId, stopping, grace);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(string jobId, CancellationToken stopping, CancellationToken grace)
    {
        if (store.Find(jobId) is not { State: JobState.Queued or JobState.Running } job)
        {
            return;
        }

        var running = new RunningJob();
        _running[jobId] = running;
        using var analysis = CancellationTokenSource.CreateLinkedTokenSource(running.Cancel.Token, grace);
        try
        {
            await store.SetStateAsync(jobId, JobState.Running, time.GetUtcNow());
            IReadOnlyList<PendingSong> pending = store.Pending(jobId);
            LogJobStarted(logger, jobId, pending.Count, job.Total);
            await foreach (SongResult result in pipeline.ClassifyAsync(Feed(pending, stopping, running.Cancel.Token), progress: null, analysis.Token))
            {
                PendingSong song = pending[result.Index];
                if (result.Error?.Code == SongErrorCode.Cancelled && (analysis.IsCancellationRequested || stopping.IsCancellationRequested))
                {
                    continue; // Not a verdict on the song: it stays queued for the next start (or its job was deleted).
                }

                SongResult stored = (job.IncludeFeatures ? result : result with { GtzanFeatures = null }) with { Index = song.Index };
                await store.StoreResultAsync(jobId, song.Index, JsonSerializer.Serialize(stored, json.Value.SerializerOptions), result.Succeeded, time.GetUtcNow());
                spool.DeleteSong(song.Path);
            }

            if (running.Cancel.IsCancellationRequested)
            {
                return;
            }

            if (store.Find(jobId) is { } after && after.Done >= after.Total)
            {
                await store.SetStateAsync(jobId, JobState.Completed, time.GetUtcNow(), _options.Retention);
                spool.DeleteJob(jobId);
                LogJobCompleted(logger, jobId, after.Succeeded, after.Failed);
            }
            else
            {
                await store.SetStateAsync(jobId, JobState.Queued, time.GetUtcNow());
                LogJobLeftQueued(logger, jobId);
            }
        }
        finally
        {
            _running.TryRemove(jobId, out _);
            running.Finished.TrySetResult();
            running.Cancel.Dispose();
        }
    }

    /// <summary>The job's songs, until the host stops or the job is deleted; a missing file fails as that song's result.</summary>
    private static IEnumerable<SongInput> Feed(IReadOnlyList<PendingSong> songs, CancellationToken stopping, CancellationToken deleted)
    {
        foreach (PendingSong song in songs)
        {
            if (stopping.IsCancellationRequested || deleted.IsCancellationRequested)
            {
                yield break;
            }

            yield return SongInput.FromFile(song.Id, song.Path);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Job {JobId}: analysing {Pending} of {Total} songs")]
    private static partial void LogJobStarted(ILogger logger, string jobId, int pending, int total);

    [LoggerMessage(2, LogLevel.Information, "Job {JobId} completed: {Succeeded} succeeded, {Failed} failed")]
    private static partial void LogJobCompleted(ILogger logger, string jobId, int succeeded, int failed);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} stopped with the host; its remaining songs stay queued")]
    private static partial void LogJobLeftQueued(ILogger logger, string jobId);

    private sealed class RunningJob
    {
        public CancellationTokenSource Cancel { get; } = new();

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
