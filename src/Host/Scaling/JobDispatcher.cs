using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Jobs;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// The <c>Api</c> role's job executor: publishes each stored job song to the song queue, with its bytes in the message,
/// and forgets the file only once the broker has confirmed the message (publisher confirms). A job whose songs could not
/// all be published (the broker went away) is tried again after <see cref="BrokerOptions.RecoveryInterval"/> and after the
/// connection recovers; unfinished jobs are resumed at start-up. A song that could be published twice (the node died
/// between the confirm and the bookkeeping) is harmless: results are stored at most once per song.
/// </summary>
internal sealed partial class JobDispatcher(
    BrokerConnection broker,
    IJobStore store,
    JobSpool spool,
    JobResultSink sink,
    IOptions<BrokerOptions> options,
    TimeProvider time,
    ILogger<JobDispatcher> logger) : BackgroundService, IJobExecutor
{
    /// <summary>Messages in flight at once while publishing a job: enough to hide the confirm round trips, bounded in memory.</summary>
    private const int PublishWindow = 16;

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly BrokerOptions _options = options.Value;

    public bool IsAvailable => broker.IsOpen;

    public void Enqueue(string jobId) => _queue.Writer.TryWrite(jobId);

    /// <summary>
    /// Nothing to wait for: a deleted job is marked cancelled before this is called, and the dispatch loop checks the
    /// job's state before each window of songs. Songs already with the broker finish on the workers; their results find
    /// no job and are dropped.
    /// </summary>
    public Task StopAsync(string jobId) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.IsAvailable)
        {
            return;
        }

        IConnection connection = await broker.ConnectedAsync(stoppingToken);
        broker.Recovered += ResumeUnfinishedAsync;
        await ResumeUnfinishedAsync();
        await using IChannel channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_queue.Reader.TryRead(out string? jobId))
                {
                    if (!await DispatchAsync(channel, jobId, stoppingToken))
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

    /// <summary>Publishes the job's undispatched songs; false when the broker failed part-way (the rest stay here).</summary>
    private async Task<bool> DispatchAsync(IChannel channel, string jobId, CancellationToken stoppingToken)
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
            foreach (PendingSong[] window in pending.Chunk(PublishWindow))
            {
                if (stoppingToken.IsCancellationRequested || !IsOpen(jobId))
                {
                    return true;
                }

                await Task.WhenAll(window.Select(song => PublishAsync(channel, job, song, stoppingToken)));
            }

            LogDispatched(logger, jobId, pending.Count);
            return true;
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or PublishException or IOException or TimeoutException)
        {
            LogDispatchFailed(logger, jobId, ex.Message);
            return false;
        }
    }

    private async Task PublishAsync(IChannel channel, JobRecord job, PendingSong song, CancellationToken stoppingToken)
    {
        byte[] body;
        try
        {
            var file = new FileInfo(song.Path);
            if (file.Exists && file.Length > _options.MaxSongBytes)
            {
                await sink.StoreAsync(job.Id, SongResults.Failure(song.Id, song.Index, SongErrorCode.Rejected,
                    $"The song is {file.Length / 1048576.0:0.#} MiB; songs travel to the analysis workers in messages of at most {_options.MaxSongBytes / 1048576.0:0.#} MiB."), job.IncludeFeatures);
                return;
            }

            body = await File.ReadAllBytesAsync(song.Path, stoppingToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await sink.StoreLostAsync(job.Id, song);
            return;
        }

        using var confirm = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        confirm.CancelAfter(_options.ConfirmTimeout);
        using System.Diagnostics.Activity? send = Hosting.HostTracing.Start("song send", System.Diagnostics.ActivityKind.Producer, job.Trace);
        await channel.BasicPublishAsync(
            exchange: "", routingKey: _options.SongQueue, mandatory: true,
            BrokerMessages.Song(job.Id, song.Index, song.Id, job.IncludeFeatures, send?.Id ?? job.Trace), body, confirm.Token);
        await store.MarkDispatchedAsync(job.Id, song.Index);
        spool.DeleteSong(song.Path);
    }

    private async Task RetryLaterAsync(string jobId, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(_options.RecoveryInterval, time, stoppingToken);
            Enqueue(jobId);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the job stays queued in the store and is resumed at the next start.
        }
    }

    private bool IsOpen(string jobId) => store.Find(jobId) is { State: JobState.Queued or JobState.Running };

    [LoggerMessage(1, LogLevel.Information, "Job {JobId}: {Count} songs handed to the broker")]
    private static partial void LogDispatched(ILogger logger, string jobId, int count);

    [LoggerMessage(2, LogLevel.Warning, "Job {JobId}: the broker failed while its songs were published ({Reason}); the rest is tried again")]
    private static partial void LogDispatchFailed(ILogger logger, string jobId, string reason);
}
