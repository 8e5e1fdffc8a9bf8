using System.Numerics.Tensors;

namespace MusicClassification.Features.Spectral;

/// <summary>
/// Per-frame spectral shape from a magnitude spectrum, exactly as librosa defines it: centroid (L1-normalised mean
/// frequency), bandwidth (p = 2 spread about the centroid) and roll-off (lowest frequency below which 85 % of the
/// magnitude lies). Stateless; the frequency tables are immutable and shared.
/// </summary>
internal sealed class SpectralShape
{
    private readonly float[] _hz;
    private readonly float[] _hzSquared;

    public SpectralShape(int sampleRate, int fftSize)
    {
        int bins = (fftSize / 2) + 1;
        _hz = new float[bins];
        _hzSquared = new float[bins];
        for (int k = 0; k < bins; k++)
        {
            double hz = (double)k * sampleRate / fftSize;
            _hz[k] = (float)hz;
            _hzSquared[k] = (float)(hz * hz);
        }
    }

    public const float RolloffFraction = 0.85f;

    /// <summary>Computes (centroid, bandwidth, rolloff) in Hz; a silent frame gives zeros, as librosa does.</summary>
    /// <param name="magnitude">The frame's magnitude spectrum.</param>
    /// <param name="scratch">As many floats as bins, for the cumulative sums.</param>
    public (double Centroid, double Bandwidth, double Rolloff) Measure(ReadOnlySpan<float> magnitude, Span<float> scratch)
    {
        double total = TensorPrimitives.Sum(magnitude);
        if (total < float.Epsilon)
        {
            return (0, 0, 0);
        }

        double centroid = TensorPrimitives.Dot(magnitude, _hz) / total;
        double secondMoment = TensorPrimitives.Dot(magnitude, _hzSquared) / total;
        double variance = Math.Max(0, secondMoment - (centroid * centroid));
        return (centroid, Math.Sqrt(variance), Rolloff(magnitude, scratch));
    }

    private double Rolloff(ReadOnlySpan<float> magnitude, Span<float> scratch)
    {
        // Sequential float32 cumulative sums, like numpy's cumsum on librosa's float32 spectrogram, kept so one pass
        // gives both the total and the running sums; they never decrease (magnitudes are ≥ 0), so the first bin at the
        // threshold is found by bisection.
        Span<float> cumulative = scratch[..magnitude.Length];
        float running = 0;
        for (int k = 0; k < magnitude.Length; k++)
        {
            running += magnitude[k];
            cumulative[k] = running;
        }

        float threshold = RolloffFraction * running;
        int low = 0;
        int high = magnitude.Length - 1;
        if (!(cumulative[high] >= threshold))
        {
            return _hz[^1];
        }

        while (low < high)
        {
            int middle = (low + high) / 2;
            if (cumulative[middle] >= threshold)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return _hz[low];
    }
}
