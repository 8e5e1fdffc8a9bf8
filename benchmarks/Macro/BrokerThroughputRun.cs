using System.Diagnostics;
using System.Globalization;
using MusicClassification.Tests.Services;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// What one RabbitMQ node sustains here, the way the host uses it: persistent messages published with confirms (16
/// outstanding, as the API's dispatcher) to a durable quorum queue, consumed with manual acks (prefetch 4, as a worker),
/// for small messages (a result, or a song's address in a blob store) and for song-sized ones. Loopback, bounded.
/// </summary>
internal static class BrokerThroughputRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
        await using RabbitMqNode node = await RabbitMqNode.StartAsync();
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = node.Port };
        await using IConnection connection = await factory.CreateConnectionAsync();
        Console.WriteLine($"one RabbitMQ node ({Environment.ProcessorCount} cores, loopback): persistent messages, publisher confirms (16 outstanding), quorum queue, manual acks (prefetch 4)");
        Console.WriteLine("| message | messages | publish + confirm msg/s | consume + ack msg/s | MiB/s through the broker | broker CPU s per message |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach ((string name, int size, int messages) in new[] { ("1.4 KiB (a result)", 1434, count), ("2.75 MiB (a 120 s MP3)", 2_883_584, Math.Max(20, count / 50)) })
        {
            await MeasureAsync(connection, node, name, size, messages);
        }

        return 0;
    }

    private static async Task MeasureAsync(IConnection connection, RabbitMqNode node, string name, int size, int messages)
    {
        string queue = $"bench.{size}";
        await using IChannel publish = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await publish.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        byte[] body = new byte[size];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true };
        int pid = node.ServerProcessId ?? 0;

        double brokerBefore = ProcessCpu.SecondsOf(pid);
        var clock = Stopwatch.StartNew();
        for (int sent = 0; sent < messages; sent += 16)
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(16, messages - sent))
                .Select(_ => publish.BasicPublishAsync("", queue, mandatory: true, properties, body).AsTask()));
        }

        double publishSeconds = clock.Elapsed.TotalSeconds;
        await using IChannel consume = await connection.CreateChannelAsync();
        await consume.BasicQosAsync(0, 4, false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int received = 0;
        var consumer = new AsyncEventingBasicConsumer(consume);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await consume.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (Interlocked.Increment(ref received) == messages)
            {
                done.TrySetResult();
            }
        };
        clock.Restart();
        await consume.BasicConsumeAsync(queue, autoAck: false, consumer);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        double consumeSeconds = clock.Elapsed.TotalSeconds;
        double brokerCpu = ProcessCpu.SecondsOf(pid) - brokerBefore;
        double mib = 2.0 * messages * size / 1048576 / (publishSeconds + consumeSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {messages} | {messages / publishSeconds:0} | {messages / consumeSeconds:0} | {mib:0} | {brokerCpu / messages:0.0000} |"));
        await publish.QueueDeleteAsync(queue);
    }
}
