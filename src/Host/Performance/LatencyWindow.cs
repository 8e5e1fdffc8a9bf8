namespace MusicClassification.Host.Performance;

/// <summary>The last <see cref="Capacity"/> durations of one kind, for percentiles that follow the current load.</summary>
internal sealed class LatencyWindow
{
    public const int Capacity = 2048;
    private readonly double[] _values = new double[Capacity];
    private readonly Lock _gate = new();
    private long _count;

    public void Add(double seconds)
    {
        lock (_gate)
        {
            _values[_count++ % Capacity] = seconds;
        }
    }

    public LatencySummary Summarize()
    {
        double[] sorted;
        lock (_gate)
        {
            sorted = _values[..(int)Math.Min(_count, Capacity)];
        }

        if (sorted.Length == 0)
        {
            return new LatencySummary(0, null, null, null);
        }

        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, At(sorted, 0.50), At(sorted, 0.95), At(sorted, 0.99));
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double At(double[] sorted, double quantile) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)], 4);
}

/// <summary>Percentiles of the last <paramref name="Samples"/> durations, in seconds.</summary>
/// <param name="Samples">How many durations the percentiles are over (at most 2048, the most recent).</param>
/// <param name="P50">The median.</param>
/// <param name="P95">The 95th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
internal sealed record LatencySummary(int Samples, double? P50, double? P95, double? P99);
