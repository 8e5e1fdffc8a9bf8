using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests.Services;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// The scale-out run: one job of real-length MP3s analysed in one process (role All, the baseline) and by one API node
/// with 1, 2 and 3 worker processes behind a RabbitMQ node of its own, all on this machine, loopback only, bounded.
/// Reports songs/s, CPU per song by process (API, workers, broker), the broker path's overhead per song against the
/// in-process run, peak RSS per process, and the bytes each song puts on the network.
/// </summary>
internal static class ScaleRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(40);

    public static async Task<int> RunAsync(string[] args)
    {
        int songCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 120;
        int[] workerCounts = args.Length > 2 ? [.. args[2].Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))] : [1, 2, 3];

        // "inline": songs ride in their messages (up to Broker:MaxSongBytes); "address": every song is fetched by the
        // worker from the API node (MaxSongBytes at its 64 KiB minimum), what songs over 15 MiB do by default.
        string[] modes = args.Length > 3 ? args[3].Split(',') : ["inline"];
        using var deadline = new CancellationTokenSource(Limit);
        string[] library = await SongFolders.MakeMp3sAsync(songCount, seconds);
        double songBytes = library.Average(f => new FileInfo(f).Length);

        Console.WriteLine($"{songCount} x {seconds:0} s MP3 (192 kb/s, {songBytes / 1048576:0.00} MiB each), one job; {Environment.ProcessorCount} cores; every process on this machine");
        Console.WriteLine("| configuration | songs/s | CPU s per song, all processes | of which API | workers | broker | overhead per song vs in-process | peak RSS: API / each worker / broker (MiB) | result bytes per song | broker I/O KiB per song |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        Measurement baseline = await RunAsync(library, workers: 0, byAddress: false, deadline.Token);
        Print("in-process (Role All)", baseline, baseline);
        int failures = baseline.Failed;
        foreach (string mode in modes)
        {
            foreach (int workers in workerCounts)
            {
                Measurement m = await RunAsync(library, workers, mode == "address", deadline.Token);
                Print($"API + {workers} worker{(workers == 1 ? "" : "s")} + RabbitMQ{(mode == "address" ? ", songs by address" : "")}", m, baseline);
                failures += m.Failed;
            }
        }

        return failures == 0 ? 0 : 1;
    }

    private static void Print(string name, Measurement m, Measurement baseline)
    {
        double perSong(double cpu) => cpu / m.Songs;
        double total = m.ApiCpu + m.WorkerCpu + m.BrokerCpu;
        string workersRss = m.WorkerPeaks.Length == 0 ? "–" : string.Join(", ", m.WorkerPeaks.Select(p => (p / ProcessMemory.MiB).ToString("0", CultureInfo.InvariantCulture)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {m.Songs / m.Wall.TotalSeconds:0.00} | {perSong(total):0.000} | {perSong(m.ApiCpu):0.000} | {perSong(m.WorkerCpu):0.000} | {perSong(m.BrokerCpu):0.000} | {perSong(total) - perSong(baseline.ApiCpu):+0.000;-0.000} | {m.ApiPeak / ProcessMemory.MiB:0} / {workersRss} / {(m.BrokerPeak > 0 ? (m.BrokerPeak / ProcessMemory.MiB).ToString("0", CultureInfo.InvariantCulture) : "–")} | {m.ResultBytes:0} | {(m.BrokerIoBytes > 0 ? (m.BrokerIoBytes / 1024.0 / m.Songs).ToString("0.0", CultureInfo.InvariantCulture) : "–")} |"));
    }

    private static async Task<Measurement> RunAsync(string[] library, int workers, bool byAddress, CancellationToken cancellationToken)
    {
        string data = Path.Combine(Path.GetTempPath(), "mc-scale-" + Guid.NewGuid().ToString("N"));
        RabbitMqNode? node = workers > 0 ? await RabbitMqNode.StartAsync() : null;
        var common = new Dictionary<string, string>
        {
            ["Jobs:MaxPageSize"] = "100000",
            ["Limits:RequestsPerMinutePerClient"] = "100000",
            ["MusiCnn:ModelsPath"] = Environment.GetEnvironmentVariable("MC_MODELS") ?? "",
        };
        Dictionary<string, string> Settings(string role, string folder) => new(common)
        {
            ["Host:Role"] = role,
            ["Broker:Port"] = node is null ? "5672" : node.Port.ToString(CultureInfo.InvariantCulture),
            ["Jobs:DataDirectory"] = folder,
            ["Limits:TempDirectory"] = folder + "-spool",
            ["Broker:MaxSongBytes"] = byAddress ? "65536" : "15728640",
        };

        var hosts = new List<HostProcess>();
        try
        {
            HostProcess api = await HostProcess.StartAsync(Settings(workers == 0 ? "All" : "Api", data), cancellationToken);
            hosts.Add(api);
            for (int w = 0; w < workers; w++)
            {
                hosts.Add(await HostProcess.StartAsync(Settings("Worker", data + $"-worker{w}"), cancellationToken));
            }

            int? brokerPid = node?.ServerProcessId;
            double[] cpuBefore = [.. hosts.Select(h => ProcessCpu.SecondsOf(h.Id))];
            double brokerBefore = brokerPid is int b ? ProcessCpu.SecondsOf(b) : 0;
            long brokerIoBefore = brokerPid is int bi ? IoBytesOf(bi) : 0;
            var clock = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs") { Content = new FilesForm(library) };
            using HttpResponseMessage created = await api.Http.SendAsync(request, cancellationToken);
            created.EnsureSuccessStatusCode();
            string location = created.Headers.Location!.OriginalString;
            JsonElement status;
            while ((status = await api.Http.GetFromJsonAsync<JsonElement>(location, cancellationToken)).GetProperty("state").GetString() != "completed")
            {
                await Task.Delay(100, cancellationToken);
            }

            clock.Stop();
            double[] cpu = [.. hosts.Select((h, i) => ProcessCpu.SecondsOf(h.Id) - cpuBefore[i])];
            double brokerCpu = brokerPid is int bp ? ProcessCpu.SecondsOf(bp) - brokerBefore : 0;
            long brokerIo = brokerPid is int bio ? IoBytesOf(bio) - brokerIoBefore : 0;
            string page = await api.Http.GetStringAsync(location + "/results", cancellationToken);
            return new Measurement(
                library.Length,
                status.GetProperty("failed").GetInt32(),
                clock.Elapsed,
                cpu[0],
                cpu.Skip(1).Sum(),
                brokerCpu,
                ProcessMemory.PeakRssBytesOf(api.Id),
                [.. hosts.Skip(1).Select(h => ProcessMemory.PeakRssBytesOf(h.Id))],
                brokerPid is int p ? ProcessMemory.PeakRssBytesOf(p) : 0,
                (double)System.Text.Encoding.UTF8.GetByteCount(page) / library.Length,
                brokerIo);
        }
        finally
        {
            foreach (HostProcess host in hosts)
            {
                await host.DisposeAsync();
            }

            if (node is not null)
            {
                await node.DisposeAsync();
            }

            foreach (string folder in Directory.GetDirectories(Path.GetTempPath(), Path.GetFileName(data) + "*"))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private sealed record Measurement(
        int Songs, int Failed, TimeSpan Wall, double ApiCpu, double WorkerCpu, double BrokerCpu,
        long ApiPeak, long[] WorkerPeaks, long BrokerPeak, double ResultBytes, long BrokerIoBytes = 0);

    /// <summary>Bytes a process has read and written through system calls (sockets and files: /proc/PID/io rchar + wchar).</summary>
    private static long IoBytesOf(int pid)
    {
        long total = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/io"))
        {
            if (line.StartsWith("rchar:", StringComparison.Ordinal) || line.StartsWith("wchar:", StringComparison.Ordinal))
            {
                total += long.Parse(line[6..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
