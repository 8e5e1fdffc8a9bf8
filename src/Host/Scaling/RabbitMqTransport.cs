using Microsoft.Extensions.Options;
using MusicClassification.Host.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// Songs and results through RabbitMQ (roles <c>Api</c> and <c>Worker</c>): a song's bytes ride in a persistent message
/// on the song queue (published with confirms) up to <see cref="BrokerOptions.MaxSongBytes"/>, a larger song's address
/// and SHA-256 instead (<see cref="SongSources"/>, <see cref="Workers.SongFetcher"/>); results on the result queue; songs no worker finished within the
/// queue's delivery limit come back from the dead-letter queue as abandoned. Messages without a job song's headers are
/// rejected and logged. The broker's own failures surface as <see cref="TransportException"/>.
/// </summary>
internal sealed partial class RabbitMqTransport : ISongTransport, ISongRequests, IAsyncDisposable
{
    private const ushort ResultPrefetch = 64;

    private readonly BrokerConnection _broker;
    private readonly BrokerOptions _options;
    private readonly ILogger<RabbitMqTransport> _logger;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<string>> _waiting = new(StringComparer.Ordinal);
    private readonly string _replyQueue = "music.replies." + Guid.NewGuid().ToString("N");
    private IChannel? _publish;
    private IChannel? _replies;

    private readonly SongSources? _sources;
    private readonly Workers.SongFetcher? _fetcher;

    // Songs sent by address: the API side (sources) is registered on API nodes only, the worker side (fetcher) on workers.
    public RabbitMqTransport(
        BrokerConnection broker, IOptions<BrokerOptions> options, ILogger<RabbitMqTransport> logger, SongSources? sources = null, Workers.SongFetcher? fetcher = null)
    {
        _broker = broker;
        _options = options.Value;
        _logger = logger;
        _sources = sources;
        _fetcher = fetcher;
        broker.Recovered += () => Reconnected?.Invoke() ?? Task.CompletedTask;
    }

    public bool IsAvailable => _broker.IsOpen;

    public bool IsDurable => true;

    public TimeSpan RetryInterval => _options.RecoveryInterval;

    public event Func<Task>? Reconnected;

    public async Task<bool> SendSongAsync(SongAddress song, string path, CancellationToken cancellationToken)
    {
        (SongAddress sent, byte[] body) = await PrepareAsync(song, path, cancellationToken);
        await PublishAsync(_options.SongQueue, BrokerMessages.Song(sent), body, cancellationToken);
        return sent.Source is null;
    }

    /// <summary>A song up to <see cref="BrokerOptions.MaxSongBytes"/> rides in its message; a larger one is sent by address.</summary>
    private async Task<(SongAddress Song, byte[] Body)> PrepareAsync(SongAddress song, string path, CancellationToken cancellationToken)
    {
        if (new FileInfo(path).Length <= _options.MaxSongBytes)
        {
            return (song, await File.ReadAllBytesAsync(path, cancellationToken));
        }

        SongSources sources = _sources ?? throw new InvalidOperationException("Only an API node sends songs.");
        return (await sources.AddressAsync(song, path, cancellationToken), []);
    }

    public async Task SendResultAsync(SongAddress song, ReadOnlyMemory<byte> resultJson, CancellationToken cancellationToken)
    {
        if (song.ReplyTo is not { } replyTo)
        {
            await PublishAsync(_options.ResultQueue, BrokerMessages.Result(song), resultJson, cancellationToken);
            return;
        }

        try
        {
            await PublishAsync(replyTo, BrokerMessages.Reply(song), resultJson, cancellationToken);
        }
        catch (TransportException ex) when (ex.InnerException is PublishReturnException)
        {
            // The node that asked is gone (its reply queue with it): nobody waits for this answer any more.
        }
    }

    public async Task<string?> RequestAsync(SongAddress song, string path, CancellationToken cancellationToken)
    {
        await EnsureRepliesAsync(cancellationToken);
        string correlation = Guid.NewGuid().ToString("N");
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[correlation] = answer;
        SongAddress? sent = null;
        try
        {
            (sent, byte[] body) = await PrepareAsync(song with { ReplyTo = _replyQueue, CorrelationId = correlation }, path, cancellationToken);
            await PublishAsync(_options.DirectQueue, BrokerMessages.Song(sent), body, cancellationToken);
            return await answer.Task.WaitAsync(_options.ReplyTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _waiting.TryRemove(correlation, out _);
            if (sent is not null)
            {
                _sources?.Release(sent);
            }
        }
    }

    public async Task<ITransportConsumption> ConsumeSongsAsync(int parallelism, Func<SongDelivery, Task> handler, CancellationToken cancellationToken)
    {
        IConnection connection = await _broker.ConnectedAsync(cancellationToken);
        IChannel channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: (ushort)parallelism),
            cancellationToken);
        await channel.BasicQosAsync(0, (ushort)parallelism, global: false, cancellationToken);

        // Job songs and direct songs, each with its own prefetch: a song someone waits for is not queued behind a job,
        // and the worker's pipeline serves it first.
        var tags = new List<string>();
        foreach (string queue in new[] { _options.SongQueue, _options.DirectQueue })
        {
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => BrokerMessages.Address(delivery.BasicProperties) is { } address
                ? handler(new BrokerSong(channel, delivery, address, _fetcher))
                : RejectForeignAsync(channel, delivery, queue);
            tags.Add(await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken));
        }

        return new Consumption(channel, [.. tags]);
    }

    public async Task<ITransportConsumption> ConsumeResultsAsync(Func<ResultDelivery, Task> handler, CancellationToken cancellationToken)
    {
        IConnection connection = await _broker.ConnectedAsync(cancellationToken);
        IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.BasicQosAsync(0, ResultPrefetch, global: false, cancellationToken);

        var results = new AsyncEventingBasicConsumer(channel);
        results.ReceivedAsync += (_, delivery) => BrokerMessages.Address(delivery.BasicProperties) is { } address
            ? handler(new BrokerResult(channel, delivery, address, System.Text.Encoding.UTF8.GetString(delivery.Body.Span), attempts: 1))
            : RejectForeignAsync(channel, delivery, _options.ResultQueue);

        var dead = new AsyncEventingBasicConsumer(channel);
        dead.ReceivedAsync += (_, delivery) => BrokerMessages.Address(delivery.BasicProperties) is { } address
            ? handler(new BrokerResult(channel, delivery, address, json: null, attempts: _options.DeliveryLimit + 1))
            : RejectForeignAsync(channel, delivery, _options.DeadLetterQueue);

        string resultsTag = await channel.BasicConsumeAsync(_options.ResultQueue, autoAck: false, results, cancellationToken);
        string deadTag = await channel.BasicConsumeAsync(_options.DeadLetterQueue, autoAck: false, dead, cancellationToken);
        return new Consumption(channel, [resultsTag, deadTag]);
    }

    /// <summary>A broker cannot take a message back: songs of a deleted job finish on the workers and their results find no job.</summary>
    public void Withdraw(string jobId)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (_publish is { } publish)
        {
            await IgnoreClosedAsync(() => publish.DisposeAsync().AsTask());
        }

        if (_replies is { } replies)
        {
            await IgnoreClosedAsync(() => replies.DisposeAsync().AsTask());
        }

        _opening.Dispose();
    }

    private async Task PublishAsync(string queue, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        try
        {
            IChannel channel = await PublishChannelAsync(cancellationToken);
            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            confirm.CancelAfter(_options.ConfirmTimeout);
            await channel.BasicPublishAsync(exchange: "", routingKey: queue, mandatory: true, properties, body, confirm.Token);
        }
        catch (Exception ex) when (IsBrokerFailure(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TransportException(ex is OperationCanceledException
                ? $"RabbitMQ did not confirm the message within {_options.ConfirmTimeout}."
                : $"RabbitMQ did not take the message: {ex.Message}", ex);
        }
    }

    /// <summary>One confirming channel for every publish (the client serialises them); a channel the broker closed is replaced.</summary>
    private async Task<IChannel> PublishChannelAsync(CancellationToken cancellationToken)
    {
        if (_publish is { IsOpen: true } open)
        {
            return open;
        }

        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_publish is { IsOpen: true } opened)
            {
                return opened;
            }

            IConnection connection = await _broker.ConnectedAsync(cancellationToken);
            _publish = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            return _publish;
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>
    /// This node's reply queue, declared once: exclusive to the connection (it goes when the node does, and answers for
    /// it become unroutable), restored with the same name when the connection recovers.
    /// </summary>
    private async Task EnsureRepliesAsync(CancellationToken cancellationToken)
    {
        if (_replies is not null)
        {
            return;
        }

        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_replies is not null)
            {
                return;
            }

            IConnection connection = await _broker.ConnectedAsync(cancellationToken);
            IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(_replyQueue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                if (delivery.BasicProperties.CorrelationId is { } correlation && _waiting.TryGetValue(correlation, out TaskCompletionSource<string>? answer))
                {
                    answer.TrySetResult(System.Text.Encoding.UTF8.GetString(delivery.Body.Span));
                }

                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(_replyQueue, autoAck: true, consumer, cancellationToken);
            _replies = channel;
        }
        catch (Exception ex) when (IsBrokerFailure(ex))
        {
            throw new TransportException($"RabbitMQ did not open this node's reply queue: {ex.Message}", ex);
        }
        finally
        {
            _opening.Release();
        }
    }

    private async Task RejectForeignAsync(IChannel channel, BasicDeliverEventArgs delivery, string queue)
    {
        LogForeign(_logger, queue);
        await IgnoreClosedAsync(() => channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false).AsTask());
    }

    private static bool IsBrokerFailure(Exception ex) =>
        ex is AlreadyClosedException or OperationInterruptedException or PublishException or BrokerUnreachableException or IOException;

    /// <summary>Settling on a channel that went with its connection: the broker hands the message out again anyway.</summary>
    private static async Task IgnoreClosedAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (IsBrokerFailure(ex))
        {
        }
    }

    private static async Task AcknowledgeAsync(IChannel channel, ulong tag)
    {
        try
        {
            await channel.BasicAckAsync(tag, multiple: false);
        }
        catch (Exception ex) when (IsBrokerFailure(ex))
        {
            throw new TransportException($"RabbitMQ did not take the acknowledgement: {ex.Message}", ex);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "A message on {Queue} names no job song; it was rejected")]
    private static partial void LogForeign(ILogger logger, string queue);

    private sealed class BrokerSong(IChannel channel, BasicDeliverEventArgs delivery, SongAddress address, Workers.SongFetcher? fetcher) : SongDelivery(address)
    {
        // The body's memory belongs to the client only until the handler returns; the pipeline reads it before then.
        public override Task<OpenedSong?> OpenAsync(CancellationToken cancellationToken) => Address.Source is null
            ? Task.FromResult<OpenedSong?>(new OpenedSong(SongInput.FromBytes(Address.SongId, delivery.Body)))
            : (fetcher ?? throw new InvalidOperationException("Only a worker takes songs.")).FetchAsync(Address, cancellationToken);

        public override Task AcknowledgeAsync() => RabbitMqTransport.AcknowledgeAsync(channel, delivery.DeliveryTag);

        public override Task HandBackAsync() =>
            IgnoreClosedAsync(() => channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).AsTask());
    }

    private sealed class BrokerResult(IChannel channel, BasicDeliverEventArgs delivery, SongAddress address, string? json, int attempts)
        : ResultDelivery(address, json, attempts)
    {
        public override Task AcknowledgeAsync() => RabbitMqTransport.AcknowledgeAsync(channel, delivery.DeliveryTag);

        public override Task HandBackAsync() =>
            IgnoreClosedAsync(() => channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).AsTask());
    }

    private sealed class Consumption(IChannel channel, string[] tags) : ITransportConsumption
    {
        public async Task StopTakingAsync()
        {
            foreach (string tag in tags)
            {
                await IgnoreClosedAsync(() => channel.BasicCancelAsync(tag));
            }
        }

        // Closing the channel hands every unacknowledged delivery back to the broker.
        public async ValueTask DisposeAsync() => await IgnoreClosedAsync(() => channel.DisposeAsync().AsTask());
    }
}
