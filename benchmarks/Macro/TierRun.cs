using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MusicClassification.Tests.Services;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// The user's own tier: the real host as its own process inside a cgroup of 0.5 CPU and 512 MiB (no swap, page cache
/// counted, as a free-tier container), one NDJSON batch of real-length MP3s through <c>/classify/batch</c> and one client
/// sending single songs meanwhile. Reports songs/s, minutes per 1000, CPU per song (the cgroup's own count, FFmpeg
/// included), peak memory, limit hits and OOM kills, every failure by code, and single-song latency against an idle host.
/// Loopback only; bounded in songs and time; stops itself. Without root the limits are left out and it says so.
/// </summary>
/// <remarks>
/// <c>tier [songs] [window-seconds] [cpus] [memory-MiB] [--uploads] [--setting=value …]</c>; defaults 40, 180, 0.5, 512.
/// Settings are passed to the host as they are (<c>--Pipeline:Decoding:FfmpegPath=…</c>, say). <c>--uploads</c> sends
/// files of random bytes of the same sizes instead: each is read, spooled, sniffed and answered <c>unsupported_format</c>,
/// so the CPU per song is the upload path's own (multipart, spool, result JSON) without any decoding.
/// </remarks>
internal static class TierRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(45);

    public static async Task<int> RunAsync(string[] args)
    {
        string[] positional = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        int songCount = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 40;
        double window = positional.Length > 1 ? double.Parse(positional[1], CultureInfo.InvariantCulture) : 180;
        double cpus = positional.Length > 2 ? double.Parse(positional[2], CultureInfo.InvariantCulture) : 0.5;
        long memory = (positional.Length > 3 ? long.Parse(positional[3], CultureInfo.InvariantCulture) : 512) * 1024 * 1024;

        bool uploadsOnly = args.Contains("--uploads");
        string[] library = await SongFolders.MakeRealLengthAsync(songCount);
        if (uploadsOnly)
        {
            library = SongFolders.NoiseLike(library);
        }

        string single = await SongFolders.MakeOneAsync("single-30s", 30);
        using var deadline = new CancellationTokenSource(Limit);
        string spool = Path.Combine(Path.GetTempPath(), $"mc-tier-spool-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string>
        {
            ["Limits:TempDirectory"] = spool,
            ["Jobs:DataDirectory"] = spool + "-data",
            ["Limits:RequestsPerMinutePerClient"] = "100000",
            ["Pipeline:Decoding:WindowLength"] = TimeSpan.FromSeconds(window).ToString("c", CultureInfo.InvariantCulture),
        };
        foreach (string setting in args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)))
        {
            string[] pair = setting[2..].Split('=', 2);
            settings[pair[0]] = pair[1];
        }

        using TierCgroup? group = TierCgroup.TryCreate(cpus, memory, out string? whyNot);
        Console.WriteLine(group is null
            ? $"tier: NO LIMITS ({whyNot}); the figures below are of the whole machine"
            : $"tier: cgroup {group.Version} {group.Name}: {cpus} CPU, {memory / ProcessMemory.MiB:0} MiB, no swap");
        try
        {
            await using HostProcess server = await HostProcess.StartAsync(settings, deadline.Token, group?.Launcher);
            HttpClient http = server.Http;
            Console.WriteLine("limits in force (/model_info): " + await SizingAsync(http, deadline.Token));

            byte[] singleBytes = await File.ReadAllBytesAsync(single, deadline.Token);
            var idle = new SingleSongClients(http, singleBytes, clients: 1);
            await idle.RunAsync(untilDone: null, requestsEach: 8, deadline.Token);

            TimeSpan cpuBefore = group?.CpuUsed ?? TimeSpan.Zero;
            // One request every 5 s: the latency a user sees during a batch, at a few per cent of the box's CPU.
            var loaded = new SingleSongClients(http, singleBytes, clients: 1, pause: TimeSpan.FromSeconds(5));
            var batchDone = new TaskCompletionSource();
            // The upload path alone is measured without single songs beside it.
            Task singles = loaded.RunAsync(batchDone.Task, requestsEach: uploadsOnly ? 0 : int.MaxValue, deadline.Token);
            var clock = Stopwatch.StartNew();
            NdjsonBatch batch = await NdjsonBatch.SendAsync(
                http,
                library,
                (id, code, message) =>
                {
                    if (code != "unsupported_format")
                    {
                        Console.WriteLine($"  failed: {id}: {code}: {message}");
                    }
                },
                deadline.Token);
            clock.Stop();
            batchDone.SetResult();
            await singles;
            TimeSpan cpu = (group?.CpuUsed ?? TimeSpan.Zero) - cpuBefore;

            double songsPerSecond = batch.Succeeded / clock.Elapsed.TotalSeconds;
            double mib = ProcessMemory.MiB;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"songs: {songCount} real-length MP3s (180 … 660 s), window {window:0} s; {batch.Succeeded} succeeded, failed by code: {batch.FailuresText}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch wall {clock.Elapsed.TotalSeconds:0.0} s: {songsPerSecond:0.000} songs/s, {1000 / songsPerSecond / 60:0.0} min per 1000; first result after {batch.FirstResult.TotalSeconds:0.0} s"));
            if (group is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cgroup CPU during the batch: {cpu.TotalSeconds:0.0} s, {cpu.TotalSeconds / songCount:0.000} s per song all in (uploads, the {loaded.Count} single songs, JIT)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cgroup memory: peak {group.PeakMemoryBytes / mib:0} MiB (page cache included), limit hits {group.LimitHits}, OOM kills {group.OomKills}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak RSS: {ProcessMemory.PeakRssBytesOf(server.Id) / mib:0} MiB"));
            Console.WriteLine($"single songs (30 s MP3), one client: idle {idle.Describe()}; during the batch {loaded.Describe()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"single p50 / p95 during the batch against idle: {loaded.Percentile(0.5) / idle.Percentile(0.5):0.00}x / {loaded.Percentile(0.95) / idle.Percentile(0.95):0.00}x"));
            bool exited = server.HasExited;
            Console.WriteLine(exited ? "THE HOST EXITED during the run" : "host still up");
            return !exited && (uploadsOnly || batch.Succeeded == songCount) && loaded.ServerErrors == 0 ? 0 : 1;
        }
        finally
        {
            TryDelete(spool);
            TryDelete(spool + "-data");
        }
    }

    private static async Task<string> SizingAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using JsonDocument info = JsonDocument.Parse(await http.GetStringAsync("/model_info", cancellationToken));
        return info.RootElement.TryGetProperty("sizing", out JsonElement sizing) ? sizing.ToString() : "(this build does not report them)";
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

}
