using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Transport;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Stores each result the transport brings back through the one sink (at most once per song: a result for a song that
/// has one, or for a deleted job, is acknowledged and dropped), acknowledging it only after the store committed it, so a
/// node that dies mid-way loses nothing: a broker hands the result to the next one. A song no worker finished gets an
/// <c>internal_error</c> result the same way: every song ends with exactly one result, never silence.
/// </summary>
internal sealed partial class ResultCollector(
    ISongTransport transport,
    IJobStore store,
    JobResultSink sink,
    IOptions<JsonOptions> json,
    ILogger<ResultCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Results stay with the transport until a readable store can take them.
        if (!store.IsAvailable)
        {
            return;
        }

        await using ITransportConsumption results = await transport.ConsumeResultsAsync(HandleSafelyAsync, stoppingToken);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: results not acknowledged go back to the transport for the next node.
        }

        await results.StopTakingAsync();
    }

    /// <summary>A result the store could not take (the disk, say) goes back to the transport after a pause, not into limbo.</summary>
    private async Task HandleSafelyAsync(ResultDelivery delivery)
    {
        try
        {
            await HandleAsync(delivery);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotStored(logger, ex);
            await Task.Delay(transport.RetryInterval);
            await delivery.HandBackAsync();
        }
    }

    private async Task HandleAsync(ResultDelivery delivery)
    {
        SongAddress address = delivery.Address;
        string resultJson = delivery.Json ?? Abandoned(delivery);
        if (address.ReplyTo is not null)
        {
            // A direct song no worker finished: its node is told now rather than after its reply timeout.
            await transport.SendResultAsync(address with { Succeeded = false }, System.Text.Encoding.UTF8.GetBytes(resultJson), CancellationToken.None);
            await delivery.AcknowledgeAsync();
            return;
        }

        using (Hosting.HostTracing.Start("result store", System.Diagnostics.ActivityKind.Consumer, address.Trace))
        {
            await sink.StoreAsync(address.JobId, address.Index, resultJson, succeeded: !delivery.Abandoned && address.Succeeded);
        }

        await delivery.AcknowledgeAsync();
    }

    private string Abandoned(ResultDelivery delivery)
    {
        SongAddress address = delivery.Address;
        LogAbandoned(logger, address.JobId, address.Index, delivery.Attempts);
        SongResult result = SongResults.Failure(address.SongId, address.Index, SongErrorCode.Internal,
            $"The song was handed to an analysis worker {delivery.Attempts} times and no worker finished it (each stopped or crashed while analysing it).");
        return JsonSerializer.Serialize(result, json.Value.SerializerOptions);
    }

    [LoggerMessage(2, LogLevel.Warning, "Job {JobId}, song {Index}: no worker finished it in {Attempts} deliveries; stored as internal_error")]
    private static partial void LogAbandoned(ILogger logger, string jobId, int index, int attempts);

    [LoggerMessage(4, LogLevel.Error, "A result could not be stored; it goes back to the transport")]
    private static partial void LogNotStored(ILogger logger, Exception exception);
}
