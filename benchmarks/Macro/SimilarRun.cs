using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests.Services;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// "More like this" on a large job: a job of short generated songs (tones, chords, clicks and noise, each different) on
/// the host as its own process, then <c>GET /jobs/{id}/similar</c> for many songs in turn, with and without the GTZAN
/// vector stored. Reports the first answer (the index built from the stored results) and the rest (p50, p95, max).
/// Loopback only; bounded.
/// </summary>
internal static class SimilarRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int songCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        string folder = Path.Combine(Path.GetTempPath(), "mc-similar-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        for (int i = 0; i < songCount; i++)
        {
            const int Rate = 22_050;
            float[] samples = (i % 4) switch
            {
                0 => TestSignals.Sine(110 + (i * 7 % 900), 3, Rate, 0.2 + (i % 5 * 0.1)),
                1 => TestSignals.ClickTrack(70 + (i % 90), 3, Rate),
                2 => TestSignals.WhiteNoise(3, Rate, seed: i, amplitude: 0.05 + (i % 9 * 0.05)),
                _ => TestSignals.Note(200 + (i * 13 % 700), 3, Rate, 0.3),
            };
            string path = Path.Combine(folder, $"song-{i:D4}.wav");
            await File.WriteAllBytesAsync(path, WavBytes.Encode(samples, Rate), deadline.Token);
            files.Add(path);
        }

        var settings = new Dictionary<string, string>
        {
            ["Jobs:DataDirectory"] = folder + "-data",
            ["Limits:TempDirectory"] = folder + "-spool",
            ["Limits:RequestsPerMinutePerClient"] = "100000",
        };
        try
        {
            await using HostProcess host = await HostProcess.StartAsync(settings, deadline.Token);
            Console.WriteLine($"{songCount} songs of 3 s in one job; GET /jobs/{{id}}/similar?song=<index>&limit=10 for 200 songs in turn");
            Console.WriteLine("| stored vectors | basis | first answer after completion | p50 | p95 | max |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|");
            foreach (bool features in new[] { false, true })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, features ? "/jobs?features=true" : "/jobs") { Content = new FilesForm(files) };
                using HttpResponseMessage created = await host.Http.SendAsync(request, deadline.Token);
                created.EnsureSuccessStatusCode();
                string location = created.Headers.Location!.OriginalString;
                while ((await host.Http.GetFromJsonAsync<JsonElement>(location, deadline.Token)).GetProperty("state").GetString() != "completed")
                {
                    await Task.Delay(500, deadline.Token);
                }

                var times = new List<double>();
                string basis = "";
                for (int i = 0; i < 201; i++)
                {
                    var clock = Stopwatch.StartNew();
                    JsonElement answer = await host.Http.GetFromJsonAsync<JsonElement>($"{location}/similar?song={i * 7 % songCount}&limit=10", deadline.Token);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    basis = answer.GetProperty("basis").GetString()!;
                }

                double first = times[0];
                double[] rest = [.. times.Skip(1).Order()];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(features ? "GTZAN vector (57 columns)" : "genres, tempo, key, loudness")} | {basis} | {first:0.0} ms | {rest[rest.Length / 2]:0.0} ms | {rest[(int)(rest.Length * 0.95)]:0.0} ms | {rest[^1]:0.0} ms |"));
            }

            return 0;
        }
        finally
        {
            foreach (string path in Directory.GetDirectories(Path.GetTempPath(), Path.GetFileName(folder) + "*"))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }
}
