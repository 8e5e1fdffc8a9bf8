using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MusicClassification.Tests.Services;

/// <summary>
/// A real RabbitMQ node (Debian's <c>rabbitmq-server</c>) of its own: its own node name, AMQP and distribution ports,
/// data, logs, configuration and Erlang cookie under a temporary folder, listening on loopback only. It can be stopped
/// and started again on the same data (a broker restart) and is removed on dispose.
/// </summary>
public sealed class RabbitMqNode : IAsyncDisposable
{
    /// <summary>Where Debian installs the server script (run directly: the /usr/sbin wrapper switches users).</summary>
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    private readonly string _directory;
    private readonly int _distributionPort;

    // The node's own port mapper daemon, on loopback and a private port, so the tests leave none listening on
    // 0.0.0.0:4369 and stop only their own.
    private readonly int _epmdPort = Loopback.FreePort();
    private Process? _server;

    private RabbitMqNode(string directory, int port, int distributionPort)
    {
        _directory = directory;
        Port = port;
        _distributionPort = distributionPort;
        NodeName = $"mc{port}@localhost";
    }

    /// <summary>Gets the AMQP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Gets the broker's operating-system process (the Erlang VM), from the pid file the node writes; null when stopped.</summary>
    public int? ServerProcessId =>
        _server is { HasExited: false } && File.Exists(Path.Combine(_directory, "rabbitmq.pid"))
            && int.TryParse(File.ReadAllText(Path.Combine(_directory, "rabbitmq.pid")).Trim(), out int pid)
            ? pid
            : null;

    /// <summary>Gets the Erlang node name.</summary>
    public string NodeName { get; }

    /// <summary>
    /// Starts a fresh node. Without <c>rabbitmq-server</c> installed, the calling test fails under CI and is skipped
    /// (inconclusive) elsewhere, saying how to install it.
    /// </summary>
    public static async Task<RabbitMqNode> StartAsync()
    {
        if (!File.Exists(ServerScript))
        {
            string message = $"RabbitMQ is not installed ({ServerScript} is missing): ./scripts/test.sh installs it (apt package rabbitmq-server).";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                Assert.Fail(message);
            }

            Assert.Inconclusive(message);
        }

        string directory = Path.Combine(Path.GetTempPath(), "mc-rabbitmq", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var node = new RabbitMqNode(directory, Loopback.FreePort(), Loopback.FreePort());
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), $"""
            listeners.tcp.1 = 127.0.0.1:{node.Port}
            loopback_users = none
            log.console = false
            log.file.level = warning
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].");
        await node.StartAgainAsync();
        return node;
    }

    /// <summary>Starts the node (again) on its data and waits until it accepts AMQP connections (bounded: 90 s).</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(ServerScript) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string name, string value) in NodeEnvironment())
        {
            start.Environment[name] = value;
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {_server.ExitCode}; its log is under {_directory}/log.");
            }

            if (await Loopback.AcceptsAsync(Port))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"RabbitMQ did not accept connections on port {Port} within 90 s.");
    }

    /// <summary>Stops the node as an operator would (SIGTERM: Erlang shuts the broker down cleanly) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (_server is not { HasExited: false } server)
        {
            return;
        }

        using (Process? term = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term!.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await server.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        _server?.Dispose();
        await StopPortMapperAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
            string parent = Path.GetDirectoryName(_directory)!;
            if (!Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }
        }
        catch (IOException)
        {
            // A file still held by a dying process, or another node just made its folder: the system's to clean.
        }
    }

    /// <summary>Stops this node's epmd (it outlives the node by design); retried while it still lists the dying node.</summary>
    private async Task StopPortMapperAsync()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                var start = new ProcessStartInfo("epmd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (string argument in (string[])["-port", _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-kill"])
                {
                    start.ArgumentList.Add(argument);
                }

                start.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                using Process epmd = Process.Start(start)!;
                string said = await epmd.StandardOutput.ReadToEndAsync() + await epmd.StandardError.ReadToEndAsync();
                await epmd.WaitForExitAsync();
                if (epmd.ExitCode == 0 || said.Contains("cannot connect", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No epmd on PATH: nothing of ours to stop.
                return;
            }

            await Task.Delay(250);
        }
    }

    private IEnumerable<(string, string)> NodeEnvironment() =>
    [
        ("HOME", _directory),
        ("RABBITMQ_NODENAME", NodeName),
        ("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
        ("RABBITMQ_NODE_PORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("RABBITMQ_DIST_PORT", _distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("ERL_EPMD_ADDRESS", "127.0.0.1"),
        ("ERL_EPMD_PORT", _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("RABBITMQ_BASE", _directory),
        ("RABBITMQ_MNESIA_BASE", Path.Combine(_directory, "mnesia")),
        ("RABBITMQ_LOG_BASE", Path.Combine(_directory, "log")),
        ("RABBITMQ_CONFIG_FILE", Path.Combine(_directory, "rabbitmq")),
        ("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(_directory, "enabled_plugins")),
        ("RABBITMQ_CONF_ENV_FILE", Path.Combine(_directory, "rabbitmq-env.conf")),
        ("RABBITMQ_PID_FILE", Path.Combine(_directory, "rabbitmq.pid")),
    ];
}
