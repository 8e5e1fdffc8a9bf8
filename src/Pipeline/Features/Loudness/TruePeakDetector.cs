using MusicClassification.Features.Dsp;

namespace MusicClassification.Features.Loudness;

/// <summary>
/// True peak per ITU-R BS.1770-4 Annex 2: the signal is interpolated 4× with a windowed-sinc FIR (24 taps per phase,
/// Kaiser β = 8) and the largest absolute value is kept. Interpolation between two samples is skipped when both are
/// below half the peak found so far: a band-limited signal cannot overshoot by 6 dB there in practice, and skipping it
/// makes the meter cheap. Per-channel history; one instance per song.
/// </summary>
internal sealed class TruePeakDetector
{
    private const int Factor = 4;
    private const int HalfTaps = 12;
    private static readonly float[][] Phases = BuildPhases();
    // Per channel a doubled ring of 2 × taps: each sample is written twice, so the latest taps are always contiguous.
    private readonly float[] _history;
    private readonly int _channels;
    private int _position;
    private int _filled;

    public TruePeakDetector(int channels)
    {
        _channels = channels;
        _history = new float[channels * 4 * HalfTaps];
    }

    public double MaxAbs { get; private set; }

    public void Add(ReadOnlySpan<float> interleaved)
    {
        int frames = interleaved.Length / _channels;
        int taps = 2 * HalfTaps;
        for (int f = 0; f < frames; f++)
        {
            _position = (_position + 1) % taps;
            for (int c = 0; c < _channels; c++)
            {
                float x = interleaved[(f * _channels) + c];
                Span<float> ring = _history.AsSpan(c * 2 * taps, 2 * taps);
                ring[_position] = x;
                ring[_position + taps] = x;
                ReadOnlySpan<float> history = ring.Slice(_position + 1, taps);
                MaxAbs = Math.Max(MaxAbs, Math.Abs(x));
                if (_filled < taps)
                {
                    continue;
                }

                // Interpolate between the two samples at the centre of the history.
                float a = Math.Abs(history[HalfTaps - 1]);
                float b = Math.Abs(history[HalfTaps]);
                if (Math.Max(a, b) < 0.5 * MaxAbs)
                {
                    continue;
                }

                for (int p = 1; p < Factor; p++)
                {
                    double value = System.Numerics.Tensors.TensorPrimitives.Dot(history, Phases[p]);
                    MaxAbs = Math.Max(MaxAbs, Math.Abs(value));
                }
            }

            _filled = Math.Min(_filled + 1, taps);
        }
    }

    private static float[][] BuildPhases()
    {
        var phases = new float[Factor][];
        for (int p = 0; p < Factor; p++)
        {
            phases[p] = new float[2 * HalfTaps];
            double fraction = (double)p / Factor;
            for (int j = 0; j < 2 * HalfTaps; j++)
            {
                // Tap j multiplies the sample at offset (j − HalfTaps + 1) from the left centre sample.
                double u = fraction - (j - HalfTaps + 1);
                phases[p][j] = (float)(Windows.Sinc(u) * Windows.Kaiser(u / HalfTaps, 8.0));
            }
        }

        return phases;
    }
}
