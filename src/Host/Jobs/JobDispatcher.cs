using System.Threading.Channels;
using MusicClassification.Host.Transport;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Hands each stored job's songs to the workers through the transport, whichever it is. A durable transport (a broker,
/// confirmed) lets the song be marked dispatched; a song whose bytes travelled with it has its file deleted, one sent
/// by address (in process, or too large for a message) keeps it until its result is stored. A job whose songs could not all be sent is tried again after the transport's retry
/// interval and when its connection is back; unfinished jobs are resumed at start-up. A song sent twice (the node died
/// between the transport taking it and the bookkeeping) is harmless: results are stored at most once per song.
/// </summary>
internal sealed partial class JobDispatcher(
    ISongTransport transport,
    IJobStore store,
    JobSpool spool,
    JobResultSink sink,
    TimeProvider time,
    ILogger<JobDispatcher> logger) : BackgroundService
{
    /// <summary>Songs sent at once: enough to hide a broker's confirm round trips, bounded in memory.</summary>
    private const int SendWindow = 16;

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();

    /// <summary>Gets a value indicating whether new jobs can be accepted now (the transport is reachable).</summary>
    public bool IsAvailable => transport.IsAvailable;

    /// <summary>Queues a job whose upload is stored.</summary>
    public void Enqueue(string jobId) => _queue.Writer.TryWrite(jobId);

    /// <summary>
    /// Stops sending a deleted job's songs (it is marked cancelled first; the dispatch loop checks before each window)
    /// and withdraws those no worker has taken where the transport can. Songs in analysis finish; their results find no job.
    /// </summary>
    public void Withdraw(string jobId) => transport.Withdraw(jobId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.IsAvailable)
        {
            return;
        }

        transport.Reconnected += ResumeUnfinishedAsync;
        await ResumeUnfinishedAsync();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_queue.Reader.TryRead(out string? jobId))
                {
                    if (!await DispatchAsync(jobId, stoppingToken))
                    {
                        _ = RetryLaterAsync(jobId, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task ResumeUnfinishedAsync()
    {
        foreach (string jobId in store.Unfinished())
        {
            Enqueue(jobId);
        }

        return Task.CompletedTask;
    }

    /// <summary>Sends the job's undispatched songs; false when the transport failed part-way (the rest stay here).</summary>
    private async Task<bool> DispatchAsync(string jobId, CancellationToken stoppingToken)
    {
        if (store.Find(jobId) is not { State: JobState.Queued or JobState.Running } job)
        {
            return true;
        }

        IReadOnlyList<PendingSong> pending = store.Pending(jobId);
        if (pending.Count == 0)
        {
            // Every song was refused at upload, or is with the workers already: completes when its results are in.
            await sink.CompleteIfDoneAsync(jobId);
            return true;
        }

        await store.SetStateAsync(jobId, JobState.Running, time.GetUtcNow());
        try
        {
            foreach (PendingSong[] window in pending.Chunk(SendWindow))
            {
                if (stoppingToken.IsCancellationRequested || !IsOpen(jobId))
                {
                    return true;
                }

                await Task.WhenAll(window.Select(song => SendAsync(job, song, stoppingToken)));
            }

            LogDispatched(logger, jobId, pending.Count);
            return true;
        }
        catch (TransportException ex)
        {
            LogDispatchFailed(logger, jobId, ex.Message);
            return false;
        }
    }

    private async Task SendAsync(JobRecord job, PendingSong song, CancellationToken stoppingToken)
    {
        bool carried;
        try
        {
            if (!File.Exists(song.Path))
            {
                await sink.StoreLostAsync(job.Id, song);
                return;
            }

            // The song's trace: the upload's, through the transport to the worker that analyses it.
            using System.Diagnostics.Activity? send = Hosting.HostTracing.Start("song send", System.Diagnostics.ActivityKind.Producer, job.Trace);
            send?.SetTag("music.job.id", job.Id);
            var address = new SongAddress(job.Id, song.Index, song.Id, job.IncludeFeatures, Succeeded: false, send?.Id ?? job.Trace);
            carried = await transport.SendSongAsync(address, song.Path, stoppingToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await sink.StoreLostAsync(job.Id, song);
            return;
        }

        if (transport.IsDurable)
        {
            await store.MarkDispatchedAsync(job.Id, song.Index);
        }

        if (carried)
        {
            spool.DeleteSong(song.Path);
        }
    }

    private async Task RetryLaterAsync(string jobId, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(transport.RetryInterval, time, stoppingToken);
            Enqueue(jobId);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the job stays queued in the store and is resumed at the next start.
        }
    }

    private bool IsOpen(string jobId) => store.Find(jobId) is { State: JobState.Queued or JobState.Running };

    [LoggerMessage(1, LogLevel.Information, "Job {JobId}: {Count} songs handed to the workers")]
    private static partial void LogDispatched(ILogger logger, string jobId, int count);

    [LoggerMessage(2, LogLevel.Warning, "Job {JobId}: the transport failed while its songs were sent ({Reason}); the rest is tried again")]
    private static partial void LogDispatchFailed(ILogger logger, string jobId, string reason);
}
