using Microsoft.Extensions.Options;
using MusicClassification.Host.Transport;
using RabbitMQ.Client;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// Every publish of the process on one confirming channel (the client serialises them), waiting for the broker's
/// confirmation up to <see cref="BrokerOptions.ConfirmTimeout"/>; a channel the broker closed is replaced.
/// </summary>
internal sealed class BrokerPublisher(BrokerConnection broker, IOptions<BrokerOptions> options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IChannel? _channel;

    /// <summary>Publishes to <paramref name="queue"/> (mandatory: an unroutable message fails); complete once confirmed.</summary>
    /// <exception cref="TransportException">The broker refused, lost or did not confirm the message in time.</exception>
    public async Task PublishAsync(string queue, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        TimeSpan timeout = options.Value.ConfirmTimeout;
        try
        {
            IChannel channel = await ChannelAsync(cancellationToken);
            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            confirm.CancelAfter(timeout);
            await channel.BasicPublishAsync(exchange: "", routingKey: queue, mandatory: true, properties, body, confirm.Token);
        }
        catch (Exception ex) when (BrokerCalls.IsBrokerFailure(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TransportException(ex is OperationCanceledException
                ? $"RabbitMQ did not confirm the message within {timeout}."
                : $"RabbitMQ did not take the message: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            await BrokerCalls.IgnoreClosedAsync(() => channel.DisposeAsync().AsTask());
        }

        _opening.Dispose();
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }

        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_channel is { IsOpen: true } opened)
            {
                return opened;
            }

            IConnection connection = await broker.ConnectedAsync(cancellationToken);
            _channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            return _channel;
        }
        finally
        {
            _opening.Release();
        }
    }
}
