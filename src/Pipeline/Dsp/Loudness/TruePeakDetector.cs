using System.Numerics.Tensors;
using MusicClassification.Dsp;

namespace MusicClassification.Dsp.Loudness;

/// <summary>
/// True peak per ITU-R BS.1770-4 Annex 2: the signal is interpolated 4× with a windowed-sinc FIR (24 taps per phase,
/// Kaiser β = 8) and the largest absolute value is kept. Interpolation between two samples is skipped when both are
/// more than 3 dB below the peak found so far: the overshoot between two samples of band-limited audio stays within
/// that in practice (a sine at a quarter of the rate, the classic worst case, overshoots by exactly 3 dB), and the
/// skip makes the meter cheap on music. Per-channel history; one instance per song.
/// </summary>
internal sealed class TruePeakDetector
{
    private const int Factor = 4;
    private const int HalfTaps = 12;
    private const int Taps = 2 * HalfTaps;
    private const float Candidate = 0.7f;
    private static readonly float[][] Phases = BuildPhases();
    private readonly int _channels;
    private readonly float[] _line;
    private int _carried;

    public TruePeakDetector(int channels)
    {
        _channels = channels;

        // Per channel: the last Taps samples of the previous block, then room for a block.
        _line = new float[channels * (Taps + MaxBlockFrames)];
    }

    public const int MaxBlockFrames = 4096;

    public double MaxAbs { get; private set; }

    public void Add(ReadOnlySpan<float> interleaved)
    {
        for (int offset = 0; offset < interleaved.Length; offset += MaxBlockFrames * _channels)
        {
            AddBlock(interleaved.Slice(offset, Math.Min(MaxBlockFrames * _channels, interleaved.Length - offset)));
        }
    }

    private void AddBlock(ReadOnlySpan<float> interleaved)
    {
        int frames = interleaved.Length / _channels;
        MaxAbs = Math.Max(MaxAbs, Math.Abs(TensorPrimitives.MaxMagnitude(interleaved)));
        int stride = Taps + MaxBlockFrames;
        for (int c = 0; c < _channels; c++)
        {
            Span<float> line = _line.AsSpan(c * stride, stride);
            Span<float> block = line.Slice(Taps, frames);
            for (int f = 0; f < frames; f++)
            {
                block[f] = interleaved[(f * _channels) + c];
            }

            // Pair (n, n + 1) is interpolated from samples n − 11 … n + 12; pairs whose window is complete are done now.
            float threshold = Candidate * (float)MaxAbs;
            int first = Taps - _carried + HalfTaps - 1;
            int last = Taps + frames - HalfTaps - 1;
            var limit = new System.Numerics.Vector<float>(threshold);
            int width = System.Numerics.Vector<float>.Count;
            for (int n = Math.Max(first, HalfTaps - 1); n < last; n++)
            {
                // Most samples of music are well below the peak: skip a vector's worth of pairs at once when none is near it.
                if (n + width + 1 <= last && ((n - first) % width) == 0)
                {
                    var here = System.Numerics.Vector.Abs(new System.Numerics.Vector<float>(line[n..]));
                    var next = System.Numerics.Vector.Abs(new System.Numerics.Vector<float>(line[(n + 1)..]));
                    if (!System.Numerics.Vector.GreaterThanOrEqualAny(here, limit) && !System.Numerics.Vector.GreaterThanOrEqualAny(next, limit))
                    {
                        n += width - 1;
                        continue;
                    }
                }

                if (Math.Abs(line[n]) < threshold && Math.Abs(line[n + 1]) < threshold)
                {
                    continue;
                }

                ReadOnlySpan<float> window = line.Slice(n - HalfTaps + 1, Taps);
                for (int p = 1; p < Factor; p++)
                {
                    MaxAbs = Math.Max(MaxAbs, Math.Abs(TensorPrimitives.Dot(window, Phases[p])));
                }
            }

            // Carry the last Taps samples: their pairs complete with the next block.
            line.Slice(frames, Taps).CopyTo(line);
        }

        _carried = Math.Min(Taps, _carried + frames);
    }

    private static float[][] BuildPhases()
    {
        var phases = new float[Factor][];
        for (int p = 0; p < Factor; p++)
        {
            phases[p] = new float[Taps];
            double fraction = (double)p / Factor;
            for (int j = 0; j < Taps; j++)
            {
                // Tap j multiplies the sample at offset (j − HalfTaps + 1) from the left sample of the pair.
                double u = fraction - (j - HalfTaps + 1);
                phases[p][j] = (float)(Windows.Sinc(u) * Windows.Kaiser(u / HalfTaps, 8.0));
            }
        }

        return phases;
    }
}
