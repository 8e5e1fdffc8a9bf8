using System.Diagnostics;

namespace MusicClassification.Tests.Services;

/// <summary>The service as users start it: its own process on 127.0.0.1 (the build beside the caller, or src/Host's Release build).</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _errors = new();

    private HostProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(30) };
    }

    public int Port { get; }

    public int Id => _process.Id;

    public HttpClient Http { get; }

    /// <summary>Gets the last lines the host wrote to standard error (warnings and errors), for a failing test's message.</summary>
    public string RecentErrors
    {
        get
        {
            lock (_errors)
            {
                return string.Join(Environment.NewLine, _errors);
            }
        }
    }

    /// <summary>Gets a value indicating whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the host with <paramref name="settings"/> (configuration keys and values) and waits until it is ready.</summary>
    /// <param name="settings">Configuration keys and values, passed as command-line arguments.</param>
    /// <param name="cancellationToken">Stops waiting for readiness.</param>
    /// <param name="launcher">A command that runs the host as its last arguments (such as a shell that first joins a cgroup); none by default.</param>
    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken, IReadOnlyList<string>? launcher = null)
    {
        int port = Loopback.FreePort();
        var start = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in launcher is { Count: > 0 } ? [.. launcher.Skip(1), "dotnet"] : Array.Empty<string>())
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string argument in new[] { Assembly(), "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default", "Warning" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        if (!settings.ContainsKey("Pipeline:Decoding:FfmpegPath") && TestAudio.TestDecoder.FfmpegPath is { } ffmpeg)
        {
            start.ArgumentList.Add($"--Pipeline:Decoding:FfmpegPath={ffmpeg}");
        }

        if (!settings.ContainsKey("MusiCnn:ModelsPath") && Environment.GetEnvironmentVariable("MC_MODELS") is { Length: > 0 } models)
        {
            start.ArgumentList.Add($"--MusiCnn:ModelsPath={models}");
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        var host = new HostProcess(process, port);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
            {
                host.Remember(e.Data);
                Console.Error.WriteLine("host: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitReadyAsync(cancellationToken);
        return host;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        Http.Dispose();
        _process.Dispose();
    }

    private void Remember(string line)
    {
        lock (_errors)
        {
            _errors.Enqueue(line);
            if (_errors.Count > 40)
            {
                _errors.Dequeue();
            }
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await Http.GetAsync("/health/ready", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("The host did not become ready within 30 s." + Environment.NewLine + RecentErrors);
    }

    /// <summary>
    /// The host's assembly: <c>MC_HOST_DLL</c> when set, else the one built beside the caller (a test project that
    /// references the host), else the Release build under src/Host.
    /// </summary>
    public static string Assembly()
    {
        if (Environment.GetEnvironmentVariable("MC_HOST_DLL") is { Length: > 0 } configured)
        {
            return configured;
        }

        string beside = Path.Combine(AppContext.BaseDirectory, "MusicClassification.Host.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "src", "Host", "bin", "Release", "net10.0", "MusicClassification.Host.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Build the host first: dotnet build -c Release src/Host");
    }
}
