using System.Diagnostics;
using System.Globalization;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MusicClassification.Tests.Services;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c> binaries) of its own: a fresh cluster made by <c>initdb</c> in a
/// temporary folder, listening on 127.0.0.1 and a private port (its socket in that folder), trust authentication for
/// its one user on loopback. Run as the <c>postgres</c> user when the tests run as root (the server refuses root).
/// Removed on dispose.
/// </summary>
public sealed class PostgresNode : IAsyncDisposable
{
    private const string User = "mc";
    private readonly string _directory;
    private readonly string _bin;
    private Process? _server;

    private PostgresNode(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    /// <summary>Gets the port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Gets a connection string for the database <paramref name="database"/> (default <c>postgres</c>).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={User};Database={database};Timeout=5";

    /// <summary>
    /// Starts a fresh server. Without PostgreSQL installed the calling test fails under CI and is skipped (inconclusive)
    /// elsewhere, saying how to install it.
    /// </summary>
    public static async Task<PostgresNode> StartAsync()
    {
        string? bin = BinDirectory();
        if (bin is null)
        {
            string message = "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/postgres): ./scripts/test.sh installs it (apt package postgresql).";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                Assert.Fail(message);
            }

            Assert.Inconclusive(message);
            throw new InvalidOperationException(message);
        }

        string parent = Path.Combine(Path.GetTempPath(), "mc-postgres");
        Directory.CreateDirectory(parent);
        string directory = Path.Combine(parent, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["postgres:postgres", directory]);
        }

        var node = new PostgresNode(directory, bin, Loopback.FreePort());
        await node.AsServerUserAsync("initdb", ["-D", node.DataDirectory, "-U", User, "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions"]);
        await node.StartAgainAsync();
        return node;
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Starts the server (again) on its data and waits until it answers (bounded: 60 s).</summary>
    public async Task StartAgainAsync()
    {
        _server = Process.Start(ServerUser(Path.Combine(_bin, "postgres"),
        [
            "-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _directory,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200",
        ]))!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with {_server.ExitCode}; its data is under {DataDirectory}.");
            }

            if (await Loopback.AcceptsAsync(Port) && await ReadyAsync())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"PostgreSQL did not accept connections on port {Port} within 60 s.");
    }

    /// <summary>Creates a database of the given name (for a test that wants one of its own on a shared server).</summary>
    public Task CreateDatabaseAsync(string name) =>
        RunAsync(Path.Combine(_bin, "psql"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", $"CREATE DATABASE \"{name}\""]);

    /// <summary>Runs one SQL command through <c>psql</c> and returns what it printed (unaligned, tuples only).</summary>
    public Task<string> QueryAsync(string database, string sql) =>
        RunAsync(Path.Combine(_bin, "psql"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", database, "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", sql]);

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying backend: the system's to clean.
        }
    }

    private static string? BinDirectory() => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql")
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int version) ? version : 0)
            .Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "postgres")))
        : null;

    private async Task<bool> ReadyAsync()
    {
        try
        {
            await RunAsync(Path.Combine(_bin, "pg_isready"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture)]);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private Task<string> AsServerUserAsync(string tool, string[] arguments) => RunAsync(ServerUser(Path.Combine(_bin, tool), arguments));

    private static ProcessStartInfo ServerUser(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.IsPrivilegedProcess ? "runuser" : program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Environment.IsPrivilegedProcess)
        {
            foreach (string argument in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static Task<string> RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return RunAsync(start);
    }

    private static async Task<string> RunAsync(ProcessStartInfo start)
    {
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
