using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>Several clients each sending one song at a time to <c>POST /classify</c>, recording latency and status codes.</summary>
internal sealed class SingleSongClients(HttpClient http, byte[] song, int clients, TimeSpan pause = default)
{
    private readonly ConcurrentBag<double> _latencies = [];
    private readonly ConcurrentDictionary<int, int> _statuses = new();

    public int Count => _latencies.Count;

    public int ServerErrors => _statuses.Where(s => s.Key >= 500).Sum(s => s.Value);

    /// <summary>Each client sends <paramref name="requestsEach"/> songs, or keeps sending until <paramref name="untilDone"/> completes.</summary>
    public Task RunAsync(Task? untilDone, int requestsEach, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (int i = 0; i < requestsEach && untilDone is not { IsCompleted: true }; i++)
            {
                using var content = new ByteArrayContent(song);
                var clock = Stopwatch.StartNew();
                using HttpResponseMessage response = await http.PostAsync("/classify", content, cancellationToken);
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                _latencies.Add(clock.Elapsed.TotalSeconds);
                _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, cancellationToken);
                }
            }
        }));

    public double Percentile(double quantile)
    {
        double[] sorted = [.. _latencies.Order()];
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{_latencies.Count} requests, p50 {Percentile(0.5):0.00} s, p95 {Percentile(0.95):0.00} s, statuses {string.Join(" ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}"))}");
}
