using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests.Services;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// A durable job through crashes: one job of real-length MP3s on a host that is killed with SIGKILL twice while it runs
/// and restarted on the same data folder, against the same job on a host left alone. Reports whether every song has
/// exactly one stored result, how many songs were analysed again after a kill, the time against the uninterrupted run,
/// and each host's peak RSS. Loopback only; bounded; stops itself.
/// </summary>
internal static class CrashRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(40);

    public static async Task<int> RunAsync(string[] args)
    {
        int songCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 180;
        using var deadline = new CancellationTokenSource(Limit);
        string[] library = await SongFolders.MakeMp3sAsync(songCount, seconds);

        (TimeSpan quiet, _, long quietPeak, _) = await RunJobAsync(library, kills: [], deadline.Token);
        (TimeSpan crashed, JobCheck check, long crashedPeak, int again) = await RunJobAsync(library, kills: [1.0 / 3, 2.0 / 3], deadline.Token);

        Console.WriteLine($"job: {songCount} x {seconds:0} s MP3; uninterrupted {quiet.TotalSeconds:0.0} s ({songCount / quiet.TotalSeconds:0.00} songs/s), peak RSS {quietPeak / ProcessMemory.MiB:0} MiB");
        Console.WriteLine($"killed (SIGKILL) at 1/3 and 2/3 and restarted: {crashed.TotalSeconds:0.0} s ({crashed / quiet:0.00}x the uninterrupted run, restarts included), peak RSS {crashedPeak / ProcessMemory.MiB:0} MiB");
        Console.WriteLine($"results: {check.Results} stored, {check.DistinctIndexes} distinct songs, {check.Duplicates} duplicates, counts {check.Counts}");
        Console.WriteLine($"songs analysed again after a kill (in flight when killed, at the last 100 ms poll): {again}");
        return check.Results == songCount && check.DistinctIndexes == songCount && check.Duplicates == 0 ? 0 : 1;
    }

    private static async Task<(TimeSpan Elapsed, JobCheck Check, long PeakRss, int AnalysedAgain)> RunJobAsync(
        string[] library, double[] kills, CancellationToken cancellationToken)
    {
        string data = Path.Combine(Path.GetTempPath(), "mc-crash-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["Jobs:DataDirectory"] = data,
            ["Limits:TempDirectory"] = data + "-spool",
            ["Jobs:MaxPageSize"] = "100000",

            // The poller asks twice every 100 ms, over the default 600 requests a minute for one client.
            ["Limits:RequestsPerMinutePerClient"] = "100000",
        };
        long peak = 0;
        int again = 0;
        HostProcess host = await HostProcess.StartAsync(settings, cancellationToken);
        try
        {
            var clock = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs") { Content = new FilesForm(library) };
            using HttpResponseMessage created = await host.Http.SendAsync(request, cancellationToken);
            created.EnsureSuccessStatusCode();
            string location = created.Headers.Location!.OriginalString;
            int nextKill = 0;
            while (true)
            {
                JsonElement job = await host.Http.GetFromJsonAsync<JsonElement>(location, cancellationToken);
                JsonElement perf = await host.Http.GetFromJsonAsync<JsonElement>("/performance", cancellationToken);
                peak = Math.Max(peak, ProcessMemory.PeakRssBytesOf(host.Id));
                if (job.GetProperty("state").GetString() == "completed")
                {
                    break;
                }

                if (nextKill < kills.Length && job.GetProperty("done").GetInt32() >= kills[nextKill] * library.Length)
                {
                    again += (int)perf.GetProperty("pipeline").GetProperty("inFlight").GetInt64();
                    await host.KillAsync();
                    await host.DisposeAsync();
                    host = await HostProcess.StartAsync(settings, cancellationToken);
                    nextKill++;
                    continue;
                }

                await Task.Delay(100, cancellationToken);
            }

            clock.Stop();
            JsonElement page = await host.Http.GetFromJsonAsync<JsonElement>(location + "/results", cancellationToken);
            JsonElement status = await host.Http.GetFromJsonAsync<JsonElement>(location, cancellationToken);
            int[] indexes = [.. page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32())];
            var check = new JobCheck(
                indexes.Length,
                indexes.Distinct().Count(),
                indexes.Length - indexes.Distinct().Count(),
                $"done {status.GetProperty("done")}, succeeded {status.GetProperty("succeeded")}, failed {status.GetProperty("failed")}");
            return (clock.Elapsed, check, peak, again);
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private sealed record JobCheck(int Results, int DistinctIndexes, int Duplicates, string Counts);
}
