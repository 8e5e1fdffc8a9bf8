using System.Collections.Concurrent;
using MusicClassification.Host.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// This node's reply queue for direct songs, declared at the first request: exclusive to the connection (it goes when
/// the node does, and answers for it become unroutable), restored with the same name when the connection recovers.
/// Answers are matched to waiting requests by correlation id; an answer nobody waits for any more is dropped.
/// </summary>
internal sealed class BrokerReplies(BrokerConnection broker) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IChannel? _channel;

    /// <summary>Gets the reply queue's name.</summary>
    public string Queue { get; } = "music.replies." + Guid.NewGuid().ToString("N");

    /// <summary>Registers a request under a new correlation id; its answer completes the returned task.</summary>
    /// <exception cref="TransportException">The reply queue could not be opened.</exception>
    public async Task<(string Correlation, Task<string> Answer)> ExpectAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        string correlation = Guid.NewGuid().ToString("N");
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[correlation] = answer;
        return (correlation, answer.Task);
    }

    public void Forget(string correlation) => _waiting.TryRemove(correlation, out _);

    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            await BrokerCalls.IgnoreClosedAsync(() => channel.DisposeAsync().AsTask());
        }

        _opening.Dispose();
    }

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_channel is not null)
        {
            return;
        }

        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_channel is not null)
            {
                return;
            }

            IConnection connection = await broker.ConnectedAsync(cancellationToken);
            IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(Queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                if (delivery.BasicProperties.CorrelationId is { } correlation && _waiting.TryGetValue(correlation, out TaskCompletionSource<string>? answer))
                {
                    answer.TrySetResult(System.Text.Encoding.UTF8.GetString(delivery.Body.Span));
                }

                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(Queue, autoAck: true, consumer, cancellationToken);
            _channel = channel;
        }
        catch (Exception ex) when (BrokerCalls.IsBrokerFailure(ex))
        {
            throw new TransportException($"RabbitMQ did not open this node's reply queue: {ex.Message}", ex);
        }
        finally
        {
            _opening.Release();
        }
    }
}
