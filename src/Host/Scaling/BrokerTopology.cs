using RabbitMQ.Client;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// The queues songs and results travel through, declared (idempotently) by every node on every connection: durable
/// quorum queues of job songs and of direct songs with a delivery limit that dead-letters a song no worker survives, a durable quorum queue of
/// results, and the dead-letter queue, both read by the API nodes.
/// </summary>
internal static class BrokerTopology
{
    /// <summary>The exchange dead-lettered songs go through.</summary>
    public const string DeadLetterExchange = "music.dead";

    public static async Task DeclareAsync(IConnection connection, BrokerOptions options, CancellationToken cancellationToken)
    {
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(DeadLetterExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(options.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, Quorum(), cancellationToken: cancellationToken);
        await channel.QueueBindAsync(options.DeadLetterQueue, DeadLetterExchange, options.DeadLetterQueue, cancellationToken: cancellationToken);
        var songs = Quorum();
        songs["x-delivery-limit"] = options.DeliveryLimit;
        songs["x-dead-letter-exchange"] = DeadLetterExchange;
        songs["x-dead-letter-routing-key"] = options.DeadLetterQueue;
        await channel.QueueDeclareAsync(options.SongQueue, durable: true, exclusive: false, autoDelete: false, songs, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(options.DirectQueue, durable: true, exclusive: false, autoDelete: false, songs, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(options.ResultQueue, durable: true, exclusive: false, autoDelete: false, Quorum(), cancellationToken: cancellationToken);
        await channel.CloseAsync(cancellationToken);
    }

    private static Dictionary<string, object?> Quorum() => new() { ["x-queue-type"] = "quorum" };
}
