using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using MusicClassification.Host.Transport;

namespace MusicClassification.Host.Scaling;

/// <summary>The broker's own failures, told apart from everything else, and the calls that settle a delivery.</summary>
internal static class BrokerCalls
{
    public static bool IsBrokerFailure(Exception ex) =>
        ex is AlreadyClosedException or OperationInterruptedException or PublishException or BrokerUnreachableException or IOException;

    /// <summary>Settling on a channel that went with its connection: the broker hands the message out again anyway.</summary>
    public static async Task IgnoreClosedAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (IsBrokerFailure(ex))
        {
        }
    }

    /// <exception cref="TransportException">The broker did not take the acknowledgement (the message comes again).</exception>
    public static async Task AcknowledgeAsync(IChannel channel, ulong tag)
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

    public static Task HandBackAsync(IChannel channel, ulong tag) =>
        IgnoreClosedAsync(() => channel.BasicNackAsync(tag, multiple: false, requeue: true).AsTask());
}
