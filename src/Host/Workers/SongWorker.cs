using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Transport;

namespace MusicClassification.Host.Workers;

/// <summary>
/// The worker: takes songs from the transport, as many at once as the pipeline's parallelism, analyses each through
/// the shared pipeline (job songs as batch work; a song someone waits for, sent to an API node, goes first), sends its result and only then acknowledges
/// the song. A worker that dies mid-song never acknowledged it, so a broker hands it to another worker (and in process
/// it is sent again at the next start). When the worker stops, songs in progress get
/// <see cref="Jobs.JobOptions.ShutdownGracePeriod"/> to finish; the rest are handed back, not failed.
/// </summary>
internal sealed partial class SongWorker(
    ISongTransport transport,
    MusicClassificationPipeline pipeline,
    IOptions<Jobs.JobOptions> jobOptions,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<SongWorker> logger) : BackgroundService
{
    private readonly CancellationTokenSource _abandon = new();
    private readonly InFlightSongs _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int parallelism = pipeline.Sizing.MaxDegreeOfParallelism;
        await using ITransportConsumption songs = await transport.ConsumeSongsAsync(parallelism, HandleAsync, stoppingToken);
        LogConsuming(logger, parallelism);

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }

        // Stop taking songs, give those in progress the grace period, then hand the rest back.
        await songs.StopTakingAsync();
        await WhenNoneInFlightAsync(jobOptions.Value.ShutdownGracePeriod);
        await _abandon.CancelAsync();

        // Abandoned songs end at once (cancelled, handed back); the bound only covers a decoder slow to let go.
        await WhenNoneInFlightAsync(TimeSpan.FromSeconds(10));
    }

    private async Task WhenNoneInFlightAsync(TimeSpan limit)
    {
        try
        {
            await _inFlight.WhenNoneAsync().WaitAsync(limit, time);
        }
        catch (TimeoutException)
        {
        }
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }

    private async Task HandleAsync(SongDelivery delivery)
    {
        _inFlight.Enter();
        try
        {
            SongAddress address = delivery.Address;

            // The song's analysis joins the trace of the upload that brought it (through the job and the transport).
            using System.Diagnostics.Activity? receive = Hosting.HostTracing.Start("song receive", System.Diagnostics.ActivityKind.Consumer, address.Trace);
            receive?.SetTag("music.job.id", address.JobId);

            OpenedSong? opened;
            try
            {
                opened = await delivery.OpenAsync(_abandon.Token);
            }
            catch (Exception ex) when (ex is TransportException || (ex is OperationCanceledException && _abandon.IsCancellationRequested))
            {
                // Its bytes are out of reach for now (or this worker stops): another attempt, here or elsewhere, later.
                LogNotOpened(logger, address.JobId, address.Index, ex.Message);
                await delivery.HandBackAsync();
                return;
            }

            SongResult result;
            using (opened)
            {
                if (opened is null)
                {
                    result = SongResults.Lost(address.SongId, address.Index);
                }
                else
                {
                    result = await pipeline.ClassifyAsync(opened.Input, address.Priority, _abandon.Token);
                    if (!result.IsVerdict(_abandon.IsCancellationRequested))
                    {
                        // Not a verdict on the song: this worker is stopping. Another worker takes it.
                        await delivery.HandBackAsync();
                        return;
                    }
                }
            }

            byte[] body = JsonSerializer.SerializeToUtf8Bytes(result.Shown(address.IncludeFeatures) with { Index = address.Index }, json.Value.SerializerOptions);
            await transport.SendResultAsync(address with { Succeeded = result.Succeeded, Trace = receive?.Id ?? address.Trace }, body, CancellationToken.None);
            await delivery.AcknowledgeAsync();
        }
        catch (TransportException ex)
        {
            // The result could not be confirmed: the song stays unacknowledged and is delivered again (a duplicate
            // result, should the first one have arrived after all, is stored only once).
            LogResultNotSent(logger, ex.Message);
        }
        finally
        {
            _inFlight.Leave();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Taking songs, {Parallelism} at a time")]
    private static partial void LogConsuming(ILogger logger, int parallelism);

    [LoggerMessage(4, LogLevel.Warning, "Job {JobId}, song {Index}: its bytes could not be had ({Reason}); handed back")]
    private static partial void LogNotOpened(ILogger logger, string jobId, int index, string reason);

    [LoggerMessage(3, LogLevel.Warning, "A result could not be sent ({Reason}); the song will be delivered again")]
    private static partial void LogResultNotSent(ILogger logger, string reason);
}
