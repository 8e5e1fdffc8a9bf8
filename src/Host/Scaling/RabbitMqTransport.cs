using Microsoft.Extensions.Options;
using MusicClassification.Host.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// Songs and results through RabbitMQ (roles <c>Api</c> and <c>Worker</c>): a song's bytes ride in a persistent message
/// on the song queue (published with confirms) up to <see cref="BrokerOptions.MaxSongBytes"/>, a larger song's address
/// and SHA-256 instead (<see cref="SongSources"/>, <see cref="Workers.SongFetcher"/>); results on the result queue;
/// songs no worker finished within the queue's delivery limit come back from the dead-letter queue as abandoned;
/// direct songs on their own queue, answered on the asking node's reply queue (<see cref="BrokerReplies"/>). Messages
/// without a song's headers are rejected and logged. The broker's own failures surface as <see cref="TransportException"/>.
/// </summary>
internal sealed partial class RabbitMqTransport : ISongTransport, ISongRequests, IAsyncDisposable
{
    private const ushort ResultPrefetch = 64;

    private readonly BrokerConnection _broker;
    private readonly BrokerOptions _options;
    private readonly BrokerPublisher _publisher;
    private readonly BrokerReplies _replies;
    private readonly ILogger<RabbitMqTransport> _logger;
    private readonly SongSources? _sources;
    private readonly Workers.SongFetcher? _fetcher;

    // Songs sent by address: the API side (sources) is registered on API nodes only, the worker side (fetcher) on workers.
    public RabbitMqTransport(
        BrokerConnection broker, IOptions<BrokerOptions> options, ILogger<RabbitMqTransport> logger, SongSources? sources = null, Workers.SongFetcher? fetcher = null)
    {
        _broker = broker;
        _options = options.Value;
        _publisher = new BrokerPublisher(broker, options);
        _replies = new BrokerReplies(broker);
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
        await _publisher.PublishAsync(_options.SongQueue, BrokerMessages.Song(sent), body, cancellationToken);
        return sent.Source is null;
    }

    public async Task SendResultAsync(SongAddress song, ReadOnlyMemory<byte> resultJson, CancellationToken cancellationToken)
    {
        if (song.ReplyTo is not { } replyTo)
        {
            await _publisher.PublishAsync(_options.ResultQueue, BrokerMessages.Result(song), resultJson, cancellationToken);
            return;
        }

        try
        {
            await _publisher.PublishAsync(replyTo, BrokerMessages.Reply(song), resultJson, cancellationToken);
        }
        catch (TransportException ex) when (ex.InnerException is PublishReturnException)
        {
            // The node that asked is gone (its reply queue with it): nobody waits for this answer any more.
        }
    }

    public async Task<string?> RequestAsync(SongAddress song, string path, CancellationToken cancellationToken)
    {
        (string correlation, Task<string> answer) = await _replies.ExpectAsync(cancellationToken);
        SongAddress? sent = null;
        try
        {
            (sent, byte[] body) = await PrepareAsync(song with { ReplyTo = _replies.Queue, CorrelationId = correlation }, path, cancellationToken);
            await _publisher.PublishAsync(_options.DirectQueue, BrokerMessages.Song(sent), body, cancellationToken);
            return await answer.WaitAsync(_options.ReplyTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _replies.Forget(correlation);
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
            tags.Add(await ConsumeAsync(channel, queue, (delivery, address) => handler(new BrokerSong(channel, delivery, address, _fetcher)), cancellationToken));
        }

        return new BrokerConsumption(channel, [.. tags]);
    }

    public async Task<ITransportConsumption> ConsumeResultsAsync(Func<ResultDelivery, Task> handler, CancellationToken cancellationToken)
    {
        IConnection connection = await _broker.ConnectedAsync(cancellationToken);
        IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.BasicQosAsync(0, ResultPrefetch, global: false, cancellationToken);
        string results = await ConsumeAsync(channel, _options.ResultQueue, (delivery, address) =>
            handler(new BrokerResult(channel, delivery, address, System.Text.Encoding.UTF8.GetString(delivery.Body.Span), attempts: 1)), cancellationToken);
        string dead = await ConsumeAsync(channel, _options.DeadLetterQueue, (delivery, address) =>
            handler(new BrokerResult(channel, delivery, address, json: null, attempts: _options.DeliveryLimit + 1)), cancellationToken);
        return new BrokerConsumption(channel, [results, dead]);
    }

    /// <summary>A broker cannot take a message back: songs of a deleted job finish on the workers and their results find no job.</summary>
    public void Withdraw(string jobId)
    {
    }

    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _replies.DisposeAsync();
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

    /// <summary>Consumes <paramref name="queue"/>, handing each message that names a song on; foreign ones are rejected.</summary>
    private async Task<string> ConsumeAsync(IChannel channel, string queue, Func<BasicDeliverEventArgs, SongAddress, Task> handle, CancellationToken cancellationToken)
    {
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (BrokerMessages.Address(delivery.BasicProperties) is { } address)
            {
                await handle(delivery, address);
                return;
            }

            LogForeign(_logger, queue);
            await BrokerCalls.IgnoreClosedAsync(() => channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false).AsTask());
        };
        return await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Warning, "A message on {Queue} names no job song; it was rejected")]
    private static partial void LogForeign(ILogger logger, string queue);
}
