using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Analyses queued jobs through the shared pipeline, <see cref="JobOptions.MaxRunningJobs"/> at a time (each a fair lane
/// beside the HTTP callers). Every result is committed as it completes and its song file deleted; unfinished jobs are
/// resumed at start-up, where only the songs without a stored result are analysed. When the host stops, no new song is
/// started, songs in progress get <see cref="JobOptions.ShutdownGracePeriod"/> to finish, and the rest stay queued.
/// </summary>
internal sealed partial class JobRunner(
    IJobStore store,
    JobResultSink results,
    MusicClassificationPipeline pipeline,
    IOptions<JobOptions> options,
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
        using var grace = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
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

            // The job's songs join the trace of the upload that created it.
            using System.Diagnostics.Activity? run = Hosting.HostTracing.Start("job", System.Diagnostics.ActivityKind.Internal, job.Trace);
            run?.SetTag("music.job.id", jobId);
            await foreach (SongResult result in pipeline.ClassifyAsync(Feed(pending, stopping, running.Cancel.Token), progress: null, analysis.Token))
            {
                // A song cancelled because the host stops (or the job was deleted) stays queued for the next start.
                PendingSong song = pending[result.Index];
                if (!result.IsVerdict(analysis.IsCancellationRequested || stopping.IsCancellationRequested))
                {
                    continue;
                }

                // A file that is gone was lost by the service, not damaged by the client: the broker path says the same.
                if (result.Error?.Code == SongErrorCode.CorruptAudio && !File.Exists(song.Path))
                {
                    await results.StoreLostAsync(jobId, song);
                    continue;
                }

                await results.StoreAsync(jobId, result with { Index = song.Index }, job.IncludeFeatures);
            }

            if (running.Cancel.IsCancellationRequested)
            {
                return;
            }

            // The last result completes the job; one left running here was stopped with the host.
            if (!await results.CompleteIfDoneAsync(jobId) && store.Find(jobId) is { State: JobState.Running })
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

    /// <summary>The job's songs, until the host stops or the job is deleted.</summary>
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

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} stopped with the host; its remaining songs stay queued")]
    private static partial void LogJobLeftQueued(ILogger logger, string jobId);

    private sealed class RunningJob
    {
        public CancellationTokenSource Cancel { get; } = new();

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
