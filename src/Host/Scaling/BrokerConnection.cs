using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// The process's one connection to RabbitMQ. The first connection is retried every
/// <see cref="BrokerOptions.RecoveryInterval"/> until the broker answers (the client's own recovery only covers a
/// connection that once succeeded); after that the client's automatic recovery reconnects and restores channels, queues
/// and consumers. Each (re)connection declares the topology (<see cref="BrokerTopology"/>).
/// </summary>
internal sealed partial class BrokerConnection(IOptions<BrokerOptions> options, IOptions<HostRoleOptions> role, ILogger<BrokerConnection> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource<IConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IConnection? _connection;

    /// <summary>Gets a value indicating whether the broker is reachable right now (connected, not recovering).</summary>
    public bool IsOpen => _connection is { IsOpen: true };

    /// <summary>Raised after the client has recovered the connection (and its channels and consumers).</summary>
    public event Func<Task>? Recovered;

    /// <summary>Waits for the first connection.</summary>
    public Task<IConnection> ConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        BrokerOptions broker = options.Value;
        var factory = new ConnectionFactory
        {
            HostName = broker.HostName,
            Port = broker.Port,
            UserName = broker.UserName,
            Password = broker.Password,
            VirtualHost = broker.VirtualHost,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = broker.RecoveryInterval,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            ClientProvidedName = $"music-classification {role.Value.Role.ToString().ToLowerInvariant()} {Environment.MachineName}:{Environment.ProcessId}",
        };

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IConnection connection = await factory.CreateConnectionAsync(stoppingToken);
                await BrokerTopology.DeclareAsync(connection, broker, stoppingToken);
                connection.ConnectionShutdownAsync += OnShutdownAsync;
                connection.RecoverySucceededAsync += OnRecoveredAsync;
                _connection = connection;
                _connected.TrySetResult(connection);
                LogConnected(logger, broker.HostName, broker.Port);
                return;
            }
            catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or IOException)
            {
                LogUnreachable(logger, broker.HostName, broker.Port, broker.RecoveryInterval, ex.Message);
                await Task.Delay(broker.RecoveryInterval, stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_connection is { } connection)
        {
            try
            {
                await connection.CloseAsync(Constants.ReplySuccess, "host stopping", TimeSpan.FromSeconds(5), abort: false, cancellationToken);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException)
            {
                // The broker is gone already; nothing to close politely.
            }

            connection.Dispose();
        }
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs args)
    {
        if (args.Initiator != ShutdownInitiator.Application)
        {
            LogLost(logger, args.ReplyText);
        }

        return Task.CompletedTask;
    }

    private async Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        LogRecovered(logger);
        if (Recovered is { } recovered)
        {
            await recovered();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Connected to RabbitMQ at {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(2, LogLevel.Warning, "RabbitMQ at {Host}:{Port} is not reachable; trying again in {Interval}: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string host, int port, TimeSpan interval, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Lost the RabbitMQ connection ({Reason}); recovering automatically")]
    private static partial void LogLost(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Information, "RabbitMQ connection recovered")]
    private static partial void LogRecovered(ILogger logger);
}
