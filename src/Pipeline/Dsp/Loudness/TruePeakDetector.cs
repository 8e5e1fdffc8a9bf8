using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using MusicClassification.Dsp;

namespace MusicClassification.Dsp.Loudness;

/// <summary>
/// True peak per ITU-R BS.1770-4 Annex 2: the signal is interpolated 4× with a windowed-sinc FIR (24 taps per phase,
/// Kaiser β = 8) and the largest absolute value is kept. Interpolation is skipped for a vector of sample pairs when all
/// are more than 3 dB below the peak found so far: the overshoot between two samples of band-limited audio stays within
/// that in practice (a sine at a quarter of the rate, the classic worst case, overshoots by exactly 3 dB), and the skip
/// makes quiet passages free; loud mastered music, where most pairs are candidates, is interpolated a vector of pairs
/// at a time. Per-channel history; one instance per song.
/// </summary>
internal sealed class TruePeakDetector
{
    private const int Factor = 4;
    private const int HalfTaps = 12;
    private const int Taps = 2 * HalfTaps;
    private const float Candidate = 0.7f;
    private static readonly float[][] Phases = BuildPhases();

    // Tap k and its mirror 23 − k of the folded form: eₖ and oₖ from the quarter phase, the half phase as it is.
    private static readonly float[] FoldedEven = [.. Enumerable.Range(0, HalfTaps).Select(k => (float)((Tap(1, k) + Tap(1, Taps - 1 - k)) / 2))];
    private static readonly float[] FoldedOdd = [.. Enumerable.Range(0, HalfTaps).Select(k => (float)((Tap(1, k) - Tap(1, Taps - 1 - k)) / 2))];
    private static readonly float[] FoldedHalf = [.. Enumerable.Range(0, HalfTaps).Select(k => (float)Tap(2, k))];

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
        if (_channels == 2)
        {
            SamplePairs.Split(interleaved[..(2 * frames)], _line.AsSpan(Taps, frames), _line.AsSpan(stride + Taps, frames));
        }

        for (int c = 0; c < _channels; c++)
        {
            Span<float> line = _line.AsSpan(c * stride, stride);
            Span<float> block = line.Slice(Taps, frames);
            if (_channels == 1)
            {
                interleaved[..frames].CopyTo(block);
            }
            else if (_channels != 2)
            {
                for (int f = 0; f < frames; f++)
                {
                    block[f] = interleaved[(f * _channels) + c];
                }
            }

            // Pair (n, n + 1) is interpolated from samples n − 11 … n + 12; pairs whose window is complete are done now.
            float threshold = Candidate * (float)MaxAbs;
            int first = Taps - _carried + HalfTaps - 1;
            int last = Taps + frames - HalfTaps - 1;
            var limit = new System.Numerics.Vector<float>(threshold);
            int width = Vector512.IsHardwareAccelerated ? Vector512<float>.Count : System.Numerics.Vector<float>.Count;
            for (int n = Math.Max(first, HalfTaps - 1); n < last; n++)
            {
                // A vector of pairs at once: skipped when none is near the peak, otherwise all of them interpolated
                // together (a 24-tap FIR per phase over shifted loads), which costs less than testing them one by one.
                if (n + width + 1 <= last && ((n - first) % width) == 0)
                {
                    if (Vector512.IsHardwareAccelerated ? NearPeak512(line, n, threshold) : NearPeak(line, n, limit))
                    {
                        MaxAbs = Math.Max(MaxAbs, Vector512.IsHardwareAccelerated ? InterpolatedPeak512(line, n) : InterpolatedPeak(line, n));
                        threshold = Candidate * (float)MaxAbs;
                        limit = new System.Numerics.Vector<float>(threshold);
                    }

                    n += width - 1;
                    continue;
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

    private static bool NearPeak(ReadOnlySpan<float> line, int n, System.Numerics.Vector<float> limit) =>
        System.Numerics.Vector.GreaterThanOrEqualAny(System.Numerics.Vector.Abs(new System.Numerics.Vector<float>(line[n..])), limit) ||
        System.Numerics.Vector.GreaterThanOrEqualAny(System.Numerics.Vector.Abs(new System.Numerics.Vector<float>(line[(n + 1)..])), limit);

    private static bool NearPeak512(ReadOnlySpan<float> line, int n, float threshold)
    {
        var limit = Vector512.Create(threshold);
        return Vector512.GreaterThanOrEqualAny(Vector512.Abs(Vector512.Create(line[n..])), limit) ||
            Vector512.GreaterThanOrEqualAny(Vector512.Abs(Vector512.Create(line[(n + 1)..])), limit);
    }

    /// <summary>
    /// <see cref="InterpolatedPeak"/> sixteen pairs at a time, folded: the quarter and three-quarter phases are each
    /// other's mirror image and the half phase is symmetric, so with uₖ = xₖ + x₂₃₋ₖ and vₖ = xₖ − x₂₃₋ₖ the three
    /// values are P + Q, the half phase's Σ h₂ₖuₖ and P − Q, where P = Σ eₖuₖ and Q = Σ oₖvₖ, and the larger magnitude
    /// of the outer two is |P| + |Q|. Thirty-six multiply-adds instead of seventy-two (the additions go to other ports),
    /// each sum in two chains so that the latency overlaps.
    /// </summary>
    private static float InterpolatedPeak512(ReadOnlySpan<float> line, int n)
    {
        Vector512<float> p0 = Vector512<float>.Zero, p1 = Vector512<float>.Zero, q0 = Vector512<float>.Zero, q1 = Vector512<float>.Zero;
        Vector512<float> m0 = Vector512<float>.Zero, m1 = Vector512<float>.Zero;
        ReadOnlySpan<float> even = FoldedEven, odd = FoldedOdd, half = FoldedHalf;
        for (int k = 0; k < HalfTaps; k += 2)
        {
            var a = Vector512.Create(line[(n - HalfTaps + 1 + k)..]);
            var b = Vector512.Create(line[(n + HalfTaps - k)..]);
            Vector512<float> u = a + b, v = a - b;
            p0 = Vector512.FusedMultiplyAdd(u, Vector512.Create(even[k]), p0);
            q0 = Vector512.FusedMultiplyAdd(v, Vector512.Create(odd[k]), q0);
            m0 = Vector512.FusedMultiplyAdd(u, Vector512.Create(half[k]), m0);
            a = Vector512.Create(line[(n - HalfTaps + 2 + k)..]);
            b = Vector512.Create(line[(n + HalfTaps - 1 - k)..]);
            u = a + b;
            v = a - b;
            p1 = Vector512.FusedMultiplyAdd(u, Vector512.Create(even[k + 1]), p1);
            q1 = Vector512.FusedMultiplyAdd(v, Vector512.Create(odd[k + 1]), q1);
            m1 = Vector512.FusedMultiplyAdd(u, Vector512.Create(half[k + 1]), m1);
        }

        Vector512<float> peak = Vector512.Max(Vector512.Abs(p0 + p1) + Vector512.Abs(q0 + q1), Vector512.Abs(m0 + m1));
        Vector256<float> upper = Vector256.Max(peak.GetLower(), peak.GetUpper());
        Vector128<float> quarter = Vector128.Max(upper.GetLower(), upper.GetUpper());
        return Math.Max(Math.Max(quarter[0], quarter[1]), Math.Max(quarter[2], quarter[3]));
    }

    /// <summary><see cref="InterpolatedPeak512"/>'s folded form a <see cref="System.Numerics.Vector{T}"/> of pairs at a time.</summary>
    private static float InterpolatedPeak(ReadOnlySpan<float> line, int n)
    {
        var p = System.Numerics.Vector<float>.Zero;
        var q = System.Numerics.Vector<float>.Zero;
        var m = System.Numerics.Vector<float>.Zero;
        for (int k = 0; k < HalfTaps; k++)
        {
            var a = new System.Numerics.Vector<float>(line[(n - HalfTaps + 1 + k)..]);
            var b = new System.Numerics.Vector<float>(line[(n + HalfTaps - k)..]);
            System.Numerics.Vector<float> u = a + b;
            p += u * FoldedEven[k];
            q += (a - b) * FoldedOdd[k];
            m += u * FoldedHalf[k];
        }

        var peak = System.Numerics.Vector.Max(System.Numerics.Vector.Abs(p) + System.Numerics.Vector.Abs(q), System.Numerics.Vector.Abs(m));
        float max = 0;
        for (int k = 0; k < System.Numerics.Vector<float>.Count; k++)
        {
            max = Math.Max(max, peak[k]);
        }

        return max;
    }

    private static float[][] BuildPhases()
    {
        var phases = new float[Factor][];
        for (int p = 0; p < Factor; p++)
        {
            phases[p] = new float[Taps];
            for (int j = 0; j < Taps; j++)
            {
                phases[p][j] = (float)Tap(p, j);
            }
        }

        return phases;
    }

    /// <summary>Tap j of phase p: it multiplies the sample at offset (j − HalfTaps + 1) from the left sample of the pair.</summary>
    private static double Tap(int p, int j)
    {
        double u = ((double)p / Factor) - (j - HalfTaps + 1);
        return Windows.Sinc(u) * Windows.Kaiser(u / HalfTaps, 8.0);
    }
}
