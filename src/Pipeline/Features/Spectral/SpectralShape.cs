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
    public (double Centroid, double Bandwidth, double Rolloff) Measure(ReadOnlySpan<float> magnitude)
    {
        double total = TensorPrimitives.Sum(magnitude);
        if (total < float.Epsilon)
        {
            return (0, 0, 0);
        }

        double centroid = TensorPrimitives.Dot(magnitude, _hz) / total;
        double secondMoment = TensorPrimitives.Dot(magnitude, _hzSquared) / total;
        double variance = Math.Max(0, secondMoment - (centroid * centroid));
        return (centroid, Math.Sqrt(variance), Rolloff(magnitude));
    }

    private double Rolloff(ReadOnlySpan<float> magnitude)
    {
        // Sequential float32 cumulative sums, like numpy's cumsum on librosa's float32 spectrogram.
        float running = 0;
        foreach (float m in magnitude)
        {
            running += m;
        }

        float threshold = RolloffFraction * running;
        float cumulative = 0;
        for (int k = 0; k < magnitude.Length; k++)
        {
            cumulative += magnitude[k];
            if (cumulative >= threshold)
            {
                return _hz[k];
            }
        }

        return _hz[^1];
    }
}
