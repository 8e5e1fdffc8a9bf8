namespace MusicClassification.Host.Performance;

/// <summary>Sums of a quantity per second over the last five minutes, for rates over the last 1 and 5 minutes.</summary>
internal sealed class RateWindow(TimeProvider time)
{
    private const int Seconds = 300;
    private readonly double[] _sums = new double[Seconds];
    private readonly long[] _stamps = new long[Seconds];
    private readonly Lock _gate = new();
    private readonly long _start = time.GetUtcNow().ToUnixTimeSeconds();

    public void Add(double amount)
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        int slot = (int)(now % Seconds);
        lock (_gate)
        {
            if (_stamps[slot] != now)
            {
                _stamps[slot] = now;
                _sums[slot] = 0;
            }

            _sums[slot] += amount;
        }
    }

    /// <summary>The mean per second over the last <paramref name="seconds"/> (or since start, when that is shorter), current second excluded.</summary>
    public double PerSecond(int seconds)
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        long span = Math.Clamp(now - _start, 1, seconds);
        double sum = 0;
        lock (_gate)
        {
            for (long s = now - span; s < now; s++)
            {
                int slot = (int)(s % Seconds);
                if (_stamps[slot] == s)
                {
                    sum += _sums[slot];
                }
            }
        }

        return sum / span;
    }
}
