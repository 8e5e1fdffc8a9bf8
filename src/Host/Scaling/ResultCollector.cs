using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Jobs;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// The <c>Api</c> role's collector: stores each result from the result queue in the job store, at most once per song (a
/// result for a song that has one, or for a deleted job, is acknowledged and dropped), and acknowledges it only after
/// the store committed it, so an API node that dies mid-way loses nothing: the broker hands the result to the next one.
/// Songs dead-lettered after <see cref="BrokerOptions.DeliveryLimit"/> failed deliveries get an <c>internal_error</c>
/// result the same way: every song ends with exactly one result, never silence.
/// </summary>
internal sealed partial class ResultCollector(
    BrokerConnection broker,
    IJobStore store,
    JobResultSink sink,
    IOptions<BrokerOptions> options,
    IOptions<JsonOptions> json,
    ILogger<ResultCollector> logger) : BackgroundService
{
    private const ushort Prefetch = 64;
    private readonly BrokerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Results stay in their queue until a readable store can take them.
        if (!store.IsAvailable)
        {
            return;
        }

        IConnection connection = await broker.ConnectedAsync(stoppingToken);
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await channel.BasicQosAsync(0, Prefetch, global: false, stoppingToken);

        var results = new AsyncEventingBasicConsumer(channel);
        results.ReceivedAsync += (_, delivery) => HandleSafelyAsync(channel, delivery, dead: false);
        await channel.BasicConsumeAsync(_options.ResultQueue, autoAck: false, results, stoppingToken);

        var dead = new AsyncEventingBasicConsumer(channel);
        dead.ReceivedAsync += (_, delivery) => HandleSafelyAsync(channel, delivery, dead: true);
        await channel.BasicConsumeAsync(_options.DeadLetterQueue, autoAck: false, dead, stoppingToken);

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: unacknowledged results go back to the queue for the next API node.
        }
    }

    /// <summary>A result the store could not take (the disk, say) goes back to the queue after a pause, not into limbo.</summary>
    private async Task HandleSafelyAsync(IChannel channel, BasicDeliverEventArgs delivery, bool dead)
    {
        try
        {
            await HandleAsync(channel, delivery, dead);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotStored(logger, ex);
            await Task.Delay(_options.RecoveryInterval);
            try
            {
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
            }
            catch (Exception nack) when (nack is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException or IOException)
            {
                // The channel went with the connection: the broker requeues it anyway.
            }
        }
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, bool dead)
    {
        if (BrokerMessages.Address(delivery.BasicProperties) is not { } address)
        {
            LogForeign(logger, dead ? _options.DeadLetterQueue : _options.ResultQueue);
            await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false);
            return;
        }

        string resultJson;
        bool succeeded;
        if (dead)
        {
            SongResult result = SongResults.Failure(address.SongId, address.Index, SongErrorCode.Internal,
                $"The song was handed to an analysis worker {_options.DeliveryLimit + 1} times and no worker finished it (each stopped or crashed while analysing it).");
            resultJson = JsonSerializer.Serialize(result, json.Value.SerializerOptions);
            succeeded = false;
            LogDeadLettered(logger, address.JobId, address.Index);
        }
        else
        {
            resultJson = Encoding.UTF8.GetString(delivery.Body.Span);
            succeeded = address.Succeeded;
        }

        using (Hosting.HostTracing.Start("result store", System.Diagnostics.ActivityKind.Consumer, address.Trace))
        {
            await sink.StoreAsync(address.JobId, address.Index, resultJson, succeeded);
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    [LoggerMessage(1, LogLevel.Warning, "A message on {Queue} names no job song; it was dropped")]
    private static partial void LogForeign(ILogger logger, string queue);

    [LoggerMessage(2, LogLevel.Warning, "Job {JobId}, song {Index}: dead-lettered after repeated failed deliveries; stored as internal_error")]
    private static partial void LogDeadLettered(ILogger logger, string jobId, int index);

    [LoggerMessage(4, LogLevel.Error, "A result could not be stored; it goes back to the queue")]
    private static partial void LogNotStored(ILogger logger, Exception exception);
}
