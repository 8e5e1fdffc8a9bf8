using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// The <c>Worker</c> role: takes songs from the song queue, as many at once as the pipeline's parallelism (the prefetch),
/// analyses each through the shared pipeline, publishes its result (confirmed by the broker) and only then acknowledges
/// the song. A worker that dies mid-song never acknowledged it, so the broker hands it to another worker; a song whose
/// deliveries keep failing is dead-lettered by the queue's delivery limit. When the worker stops, songs in progress get
/// <see cref="Jobs.JobOptions.ShutdownGracePeriod"/> to finish; the rest are handed back, not failed.
/// </summary>
internal sealed partial class SongWorker(
    BrokerConnection broker,
    MusicClassificationPipeline pipeline,
    IOptions<BrokerOptions> options,
    IOptions<Jobs.JobOptions> jobOptions,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<SongWorker> logger) : BackgroundService
{
    private readonly BrokerOptions _options = options.Value;
    private readonly CancellationTokenSource _abandon = new();
    private readonly InFlightSongs _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int parallelism = pipeline.Sizing.MaxDegreeOfParallelism;
        IConnection connection = await broker.ConnectedAsync(stoppingToken);
        await using IChannel publish = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);
        await using IChannel consume = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: (ushort)parallelism),
            stoppingToken);
        await consume.BasicQosAsync(0, (ushort)parallelism, global: false, stoppingToken);
        var consumer = new AsyncEventingBasicConsumer(consume);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(consume, publish, delivery);
        string tag = await consume.BasicConsumeAsync(_options.SongQueue, autoAck: false, consumer, stoppingToken);
        LogConsuming(logger, _options.SongQueue, parallelism);

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }

        // Stop taking songs, give those in progress the grace period, then hand the rest back.
        await IgnoreBrokerFailureAsync(() => consume.BasicCancelAsync(tag));
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

    private async Task HandleAsync(IChannel consume, IChannel publish, BasicDeliverEventArgs delivery)
    {
        _inFlight.Enter();
        try
        {
            if (BrokerMessages.Address(delivery.BasicProperties) is not { } address)
            {
                LogForeign(logger, _options.SongQueue);
                await IgnoreBrokerFailureAsync(() => consume.BasicRejectAsync(delivery.DeliveryTag, requeue: false).AsTask());
                return;
            }

            // The song's analysis joins the trace of the upload that brought it (through the job and the queue).
            using System.Diagnostics.Activity? receive = Hosting.HostTracing.Start("song receive", System.Diagnostics.ActivityKind.Consumer, address.Trace);

            // The body's memory belongs to the client only until this handler returns; the pipeline reads it before then.
            SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes(address.SongId, delivery.Body), SongPriority.Batch, _abandon.Token);
            if (!result.IsVerdict(_abandon.IsCancellationRequested))
            {
                // Not a verdict on the song: this worker is stopping. Another worker takes it.
                await IgnoreBrokerFailureAsync(() => consume.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).AsTask());
                return;
            }

            SongResult stored = result.Shown(address.IncludeFeatures) with { Index = address.Index };
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(stored, json.Value.SerializerOptions);
            using var confirm = new CancellationTokenSource(_options.ConfirmTimeout);
            await publish.BasicPublishAsync(
                exchange: "", routingKey: _options.ResultQueue, mandatory: true,
                BrokerMessages.Result(address.JobId, address.Index, result.Succeeded, receive?.Id ?? address.Trace), body, confirm.Token);
            await consume.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or PublishException or IOException or OperationCanceledException)
        {
            // The result could not be confirmed: the song stays unacknowledged and the broker hands it out again
            // (a duplicate result, should the first one have arrived after all, is stored only once).
            LogResultNotPublished(logger, ex.Message);
        }
        finally
        {
            _inFlight.Leave();
        }
    }

    private static async Task IgnoreBrokerFailureAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The channel is gone with the connection: the broker requeues what was not acknowledged.
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Consuming songs from {Queue}, {Parallelism} at a time")]
    private static partial void LogConsuming(ILogger logger, string queue, int parallelism);

    [LoggerMessage(2, LogLevel.Warning, "A message on {Queue} names no job song; it was rejected")]
    private static partial void LogForeign(ILogger logger, string queue);

    [LoggerMessage(3, LogLevel.Warning, "A result could not be published ({Reason}); the song will be delivered again")]
    private static partial void LogResultNotPublished(ILogger logger, string reason);
}
