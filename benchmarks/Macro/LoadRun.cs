using System.Diagnostics;
using System.Globalization;
using MusicClassification.Tests.Services;

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
        string[] library = await SongFolders.MakeMp3sAsync(songCount, seconds);
        string single = await SongFolders.MakeOneAsync("single-30s", 30);
        using var deadline = new CancellationTokenSource(Limit);
        string spool = Path.Combine(Path.GetTempPath(), $"mc-load-spool-{Guid.NewGuid():N}");
        await using HostProcess server = await HostProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Limits:TempDirectory"] = spool,
                ["Jobs:DataDirectory"] = spool + "-data",
                ["Limits:RequestsPerMinutePerClient"] = "100000",
            },
            deadline.Token);
        HttpClient http = server.Http;
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
        NdjsonBatch batch = await NdjsonBatch.SendAsync(http, library, onFailure: null, deadline.Token);
        clock.Stop();
        batchDone.SetResult();
        await singles;
        await sampling.CancelAsync();
        await sampler;
        long hwm = ProcessMemory.PeakRssBytesOf(server.Id);

        Console.WriteLine($"batch: {songCount} x {seconds:0} s MP3 (192 kb/s stereo 44.1 kHz), {batch.Lines} NDJSON result lines, summary: {batch.Summary}");
        Console.WriteLine($"batch wall: {clock.Elapsed.TotalSeconds:0.0} s, {songCount / clock.Elapsed.TotalSeconds:0.00} songs/s; first result after {batch.FirstResult.TotalSeconds:0.0} s");
        Console.WriteLine($"single songs (30 s MP3), {clients} clients back to back: idle {idle.Describe()}; under load {loaded.Describe()}");
        Console.WriteLine($"single p95 under load / idle: {loaded.Percentile(0.95) / idle.Percentile(0.95):0.00}x");
        Console.WriteLine($"host peak RSS: {Math.Max(hwm, peak[0]) / ProcessMemory.MiB:0} MiB (VmHWM {hwm / ProcessMemory.MiB:0} MiB, highest 200 ms sample {peak[0] / ProcessMemory.MiB:0} MiB)");
        int fiveHundreds = loaded.ServerErrors + idle.ServerErrors + (batch.Status >= 500 ? 1 : 0);
        Console.WriteLine($"5xx answers: {fiveHundreds}; batch status {batch.Status}");
        return fiveHundreds == 0 && batch.Lines == songCount ? 0 : 1;
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

}
