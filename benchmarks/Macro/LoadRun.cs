using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// The service under a phone's library: the real host as its own process on 127.0.0.1, one batch of real-length MP3s
/// (NDJSON), and at the same time several clients sending single songs. Reports the batch's songs/s, single-song latency
/// idle and under load, status codes, and the host's peak RSS. Loopback only; bounded in songs and time; stops itself.
/// </summary>
internal static class LoadRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    public static async Task<int> RunAsync(string[] args)
    {
        int songCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 180;
        int clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        string host = HostAssembly();
        (string[] library, string single) = await MakeSongsAsync(songCount, seconds);

        int port = FreePort();
        string spool = Path.Combine(Path.GetTempPath(), $"mc-load-spool-{port}");
        using Process server = StartHost(host, port, spool);
        using var deadline = new CancellationTokenSource(Limit);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Limit };
        try
        {
            await WaitReadyAsync(http, deadline.Token);
            long[] peak = [0];
            using var sampling = new CancellationTokenSource();
            Task sampler = SampleRssAsync(server.Id, peak, sampling.Token);

            byte[] singleBytes = await File.ReadAllBytesAsync(single, deadline.Token);
            var idle = new SingleSongClients(http, singleBytes, clients);
            await idle.RunAsync(untilDone: null, requestsEach: 8, deadline.Token);

            var loaded = new SingleSongClients(http, singleBytes, clients);
            var batchDone = new TaskCompletionSource();
            Task singles = loaded.RunAsync(batchDone.Task, requestsEach: int.MaxValue, deadline.Token);
            var clock = Stopwatch.StartNew();
            BatchOutcome batch = await SendBatchAsync(http, library, deadline.Token);
            clock.Stop();
            batchDone.SetResult();
            await singles;
            await sampling.CancelAsync();
            await sampler;
            long hwm = ProcessMemory.PeakRssBytesOf(server.Id);

            Console.WriteLine($"batch: {songCount} x {seconds:0} s MP3 (192 kb/s stereo 44.1 kHz), {batch.Lines} NDJSON result lines, summary: {batch.Summary}");
            Console.WriteLine($"batch wall: {clock.Elapsed.TotalSeconds:0.0} s, {songCount / clock.Elapsed.TotalSeconds:0.00} songs/s; first result after {batch.FirstResult.TotalSeconds:0.0} s");
            Console.WriteLine($"single songs (30 s MP3), {clients} clients: idle {idle.Describe()}; under load {loaded.Describe()}");
            Console.WriteLine($"single p95 under load / idle: {loaded.Percentile(0.95) / idle.Percentile(0.95):0.00}x");
            Console.WriteLine($"host peak RSS: {Math.Max(hwm, peak[0]) / ProcessMemory.MiB:0} MiB (VmHWM {hwm / ProcessMemory.MiB:0} MiB, highest 200 ms sample {peak[0] / ProcessMemory.MiB:0} MiB)");
            int fiveHundreds = loaded.ServerErrors + idle.ServerErrors + (batch.Status >= 500 ? 1 : 0);
            Console.WriteLine($"5xx answers: {fiveHundreds}; batch status {batch.Status}");
            return fiveHundreds == 0 && batch.Lines == songCount ? 0 : 1;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task<BatchOutcome> SendBatchAsync(HttpClient http, string[] library, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/classify/batch") { Content = new FilesForm(library) };
        request.Headers.Accept.ParseAdd("application/x-ndjson");
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        int lines = 0;
        TimeSpan first = TimeSpan.Zero;
        string summary = string.Empty;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("{\"summary\"", StringComparison.Ordinal))
            {
                using JsonDocument json = JsonDocument.Parse(line);
                summary = json.RootElement.GetProperty("summary").ToString();
                continue;
            }

            first = lines++ == 0 ? clock.Elapsed : first;
        }

        return new BatchOutcome((int)response.StatusCode, lines, first, summary);
    }

    private static async Task<(string[] Library, string Single)> MakeSongsAsync(int songCount, double seconds)
    {
        const int Variants = 20;
        string folder = Path.Combine(Path.GetTempPath(), $"mc-load-{seconds}-mp3");
        Directory.CreateDirectory(folder);
        for (int v = 0; v <= Variants; v++)
        {
            string path = Path.Combine(folder, v == Variants ? "single-30s.mp3" : $"variant-{v}.mp3");
            double length = v == Variants ? 30 : seconds;
            if (!File.Exists(path))
            {
                float[] left = TestSignals.Sine(110 * (1 + (v % 8)), length, 44_100, amplitude: 0.3);
                float[] right = TestSignals.WhiteNoise(length, 44_100, seed: v, amplitude: 0.1);
                await File.WriteAllBytesAsync(path, FfmpegEncoder.Encode(TestSignals.Interleave(left, right), 44_100, 2, "mp3", "-b:a", "192k"));
            }
        }

        string[] library = [.. Enumerable.Range(0, songCount).Select(i => Path.Combine(folder, $"variant-{i % Variants}.mp3"))];
        return (library, Path.Combine(folder, "single-30s.mp3"));
    }

    private static string HostAssembly()
    {
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

    private static Process StartHost(string assembly, int port, string spool)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
        {
            assembly, "--urls", $"http://127.0.0.1:{port}", "--Limits:TempDirectory", spool,
            "--Limits:RequestsPerMinutePerClient", "100000", "--Logging:LogLevel:Default", "Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (Environment.GetEnvironmentVariable("MC_MODELS") is { Length: > 0 } models)
        {
            start.ArgumentList.Add("--Pipeline:ModelsPath");
            start.ArgumentList.Add(models);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
            {
                Console.Error.WriteLine("host: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("The host did not become ready within 30 s.");
    }

    private static async Task SampleRssAsync(int pid, long[] peak, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            peak[0] = Math.Max(peak[0], ProcessMemory.RssBytesOf(pid));
            try
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record BatchOutcome(int Status, int Lines, TimeSpan FirstResult, string Summary);
}
