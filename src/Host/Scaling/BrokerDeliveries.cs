using MusicClassification.Host.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MusicClassification.Host.Scaling;

/// <summary>A song from a song queue: its bytes are the body, or fetched from the API node that holds them.</summary>
internal sealed class BrokerSong(IChannel channel, BasicDeliverEventArgs delivery, SongAddress address, Workers.SongFetcher? fetcher) : SongDelivery(address)
{
    // The body's memory belongs to the client only until the handler returns; the pipeline reads it before then.
    public override Task<OpenedSong?> OpenAsync(CancellationToken cancellationToken) => Address.Source is null
        ? Task.FromResult<OpenedSong?>(new OpenedSong(SongInput.FromBytes(Address.SongId, delivery.Body)))
        : (fetcher ?? throw new InvalidOperationException("Only a worker takes songs.")).FetchAsync(Address, cancellationToken);

    public override Task AcknowledgeAsync() => BrokerCalls.AcknowledgeAsync(channel, delivery.DeliveryTag);

    public override Task HandBackAsync() => BrokerCalls.HandBackAsync(channel, delivery.DeliveryTag);
}

/// <summary>A result from the result queue, or a dead-lettered song (no JSON) from the dead-letter queue.</summary>
internal sealed class BrokerResult(IChannel channel, BasicDeliverEventArgs delivery, SongAddress address, string? json, int attempts)
    : ResultDelivery(address, json, attempts)
{
    public override Task AcknowledgeAsync() => BrokerCalls.AcknowledgeAsync(channel, delivery.DeliveryTag);

    public override Task HandBackAsync() => BrokerCalls.HandBackAsync(channel, delivery.DeliveryTag);
}

/// <summary>Consumers on one channel: cancelled to stop taking; closing the channel hands back what was not acknowledged.</summary>
internal sealed class BrokerConsumption(IChannel channel, string[] tags) : ITransportConsumption
{
    public async Task StopTakingAsync()
    {
        foreach (string tag in tags)
        {
            await BrokerCalls.IgnoreClosedAsync(() => channel.BasicCancelAsync(tag));
        }
    }

    public async ValueTask DisposeAsync() => await BrokerCalls.IgnoreClosedAsync(() => channel.DisposeAsync().AsTask());
}
