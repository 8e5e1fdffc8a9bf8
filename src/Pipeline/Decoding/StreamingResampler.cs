using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using MusicClassification.Dsp;
using MusicClassification.Dsp.Resampling;

namespace MusicClassification.Decoding;

/// <summary>
/// Per-song state of a resampling pass: feeds blocks of input through a shared <see cref="ResamplerPlan"/> into a
/// <see cref="PcmBuffer"/>, keeping only one filter length of history, so a song is never held twice at two rates.
/// </summary>
internal sealed class StreamingResampler : IDisposable
{
    private readonly ResamplerPlan _plan;
    private readonly ArrayPool<float> _pool;
    private readonly int _maxBlock;
    private float[]? _window;
    private float[]? _phases;
    private int _windowLength;

    // Absolute input index of _window[0]; negative at the start because the signal is zero-padded on the left.
    private long _windowStart;
    private long _inputCount;
    private long _outputIndex;

    public StreamingResampler(ResamplerPlan plan, int maxBlock, ArrayPool<float> pool)
    {
        _pool = pool;
        _plan = plan;
        _maxBlock = maxBlock;
        // A vector's room past the last input: the padded filter's last vector may reach that far (its lanes are masked).
        _window = pool.Rent(plan.PaddedTapCount + maxBlock + Vector256<float>.Count);
        _windowLength = plan.HalfWidth - 1;
        _window.AsSpan(0, _windowLength).Clear();
        _windowStart = -_windowLength;
    }

    public void Process(ReadOnlySpan<float> input, PcmBuffer output)
    {
        while (!input.IsEmpty)
        {
            int take = Math.Min(input.Length, _maxBlock);
            Append(input[..take]);
            _inputCount += take;
            input = input[take..];
            Emit(output, long.MaxValue);
        }
    }

    /// <summary>Pads the end with zeros and writes the remaining output samples, so the output has ceil(n · L / M) samples.</summary>
    public void Flush(PcmBuffer output)
    {
        long total = _plan.OutputLength(_inputCount);
        int padding = _plan.HalfWidth + 1;
        while (padding > 0)
        {
            int take = Math.Min(padding, _maxBlock);
            Span<float> zeros = Window.AsSpan(_windowLength, take);
            zeros.Clear();
            _windowLength += take;
            padding -= take;
            Emit(output, total);
        }
    }

    /// <summary>
    /// Integer decimation (44.1 → 22.05 kHz: one phase, every D-th input), a vector of outputs at a time: the window is
    /// split into its D interleaved phases so that, tap by tap, the inputs of consecutive outputs are consecutive floats.
    /// Returns how many of <paramref name="destination"/>'s outputs it wrote (whole vectors; the scalar path does the rest).
    /// </summary>
    private int Decimate(float[] window, Span<float> destination, int down)
    {
        int width = Vector<float>.Count;
        int count = destination.Length - (destination.Length % width);
        if (count == 0)
        {
            return 0;
        }

        ReadOnlySpan<float> taps = _plan.Taps(0);
        int first = (int)((_outputIndex * down) - _plan.HalfWidth + 1 - _windowStart);
        int phaseLength = count + ((taps.Length + down - 1) / down);
        float[] phases = _phases ??= _pool.Rent(down * ((((2 * _plan.TapCount) + _maxBlock) / down) + 2));
        if (phases.Length < down * phaseLength)
        {
            return 0;
        }

        int split = 0;
        if (down == 2 && first >= 0)
        {
            // 44.1 → 22.05 kHz, the common case: the even and odd samples apart, eight pairs at a time.
            split = Math.Clamp((_windowLength - first) / 2, 0, phaseLength);
            SamplePairs.Split(window.AsSpan(first, 2 * split), phases.AsSpan(0, split), phases.AsSpan(phaseLength, split));
        }

        for (int r = 0; r < down; r++)
        {
            Span<float> phase = phases.AsSpan(r * phaseLength, phaseLength);
            for (int k = split; k < phaseLength; k++)
            {
                int at = first + r + (k * down);
                phase[k] = at < _windowLength ? window[at] : 0;
            }
        }

        // Tap j of output i reads phase j mod D at i + j div D: walk the taps phase by phase, so no division per tap.
        ref float phaseBase = ref MemoryMarshal.GetArrayDataReference(phases);
        int i = Vector512.IsHardwareAccelerated ? Decimate512x4(ref phaseBase, phaseLength, taps, down, destination[..count]) : 0;
        for (; i < count; i += width)
        {
            Vector<float> sum = Vector<float>.Zero;
            for (int r = 0; r < down; r++)
            {
                ref float phase = ref Unsafe.Add(ref phaseBase, (r * phaseLength) + i);
                int k = 0;
                for (int j = r; j < taps.Length; j += down, k++)
                {
                    sum += new Vector<float>(taps[j]) * Vector.LoadUnsafe(ref phase, (nuint)k);
                }
            }

            sum.CopyTo(destination[i..]);
        }

        return count;
    }

    /// <summary>
    /// <see cref="Decimate"/>'s sums 64 outputs at a time: four 512-bit vectors share each tap, so four independent
    /// chains of additions overlap instead of one waiting on the last. Per output the same products are added in the
    /// same order, unfused, as the one-vector loop does: the same floats. Returns how many outputs it wrote.
    /// </summary>
    private static int Decimate512x4(ref float phaseBase, int phaseLength, ReadOnlySpan<float> taps, int down, Span<float> destination)
    {
        const int Width = 16;
        int i = 0;
        for (; i + (4 * Width) <= destination.Length; i += 4 * Width)
        {
            Vector512<float> s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero, s2 = Vector512<float>.Zero, s3 = Vector512<float>.Zero;
            for (int r = 0; r < down; r++)
            {
                ref float phase = ref Unsafe.Add(ref phaseBase, (r * phaseLength) + i);
                int k = 0;
                for (int j = r; j < taps.Length; j += down, k++)
                {
                    var tap = Vector512.Create(taps[j]);
                    ref float at = ref Unsafe.Add(ref phase, k);
                    s0 += tap * Vector512.LoadUnsafe(ref at);
                    s1 += tap * Vector512.LoadUnsafe(ref at, Width);
                    s2 += tap * Vector512.LoadUnsafe(ref at, 2 * Width);
                    s3 += tap * Vector512.LoadUnsafe(ref at, 3 * Width);
                }
            }

            s0.CopyTo(destination[i..]);
            s1.CopyTo(destination[(i + Width)..]);
            s2.CopyTo(destination[(i + (2 * Width))..]);
            s3.CopyTo(destination[(i + (3 * Width))..]);
        }

        return i;
    }

    /// <summary>
    /// Any ratio (48 → 22.05 or 44.1 kHz …): output by output, the phase and the first input carried from one to the
    /// next (no division per output), each a dot product over the zero-padded taps in whole 256-bit vectors, the window's
    /// lanes past the filter masked to 0 (whatever the pooled array holds there).
    /// </summary>
    private void Interpolate(float[] window, Span<float> destination)
    {
        long up = _plan.Up;
        long down = _plan.Down;
        long position = _outputIndex * down;
        long baseIndex = position / up;
        long phase = position - (baseIndex * up);
        int first = (int)(baseIndex - _plan.HalfWidth + 1 - _windowStart);
        int taps = _plan.TapCount;
        int vectors = _plan.PaddedTapCount / Vector256<float>.Count;
        Vector256<float> lastMask = Vector256.LessThan(
            Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create((float)((vectors - 1) * Vector256<float>.Count)),
            Vector256.Create((float)taps));
        ref float start = ref MemoryMarshal.GetArrayDataReference(window);
        for (int i = 0; i < destination.Length; i++)
        {
            ref float at = ref Unsafe.Add(ref start, first);
            ref float tap = ref MemoryMarshal.GetReference(_plan.PaddedTaps(phase));
            Vector256<float> even = Vector256<float>.Zero;
            Vector256<float> odd = Vector256<float>.Zero;
            int v = 0;
            for (; v + 2 < vectors; v += 2)
            {
                even += Vector256.LoadUnsafe(ref tap, (nuint)(v * 8)) * Vector256.LoadUnsafe(ref at, (nuint)(v * 8));
                odd += Vector256.LoadUnsafe(ref tap, (nuint)((v + 1) * 8)) * Vector256.LoadUnsafe(ref at, (nuint)((v + 1) * 8));
            }

            for (; v < vectors - 1; v++)
            {
                even += Vector256.LoadUnsafe(ref tap, (nuint)(v * 8)) * Vector256.LoadUnsafe(ref at, (nuint)(v * 8));
            }

            Vector256<float> last = Vector256.ConditionalSelect(lastMask, Vector256.LoadUnsafe(ref at, (nuint)(v * 8)), Vector256<float>.Zero);
            odd += Vector256.LoadUnsafe(ref tap, (nuint)(v * 8)) * last;
            destination[i] = Vector256.Sum(even + odd);

            phase += down;
            while (phase >= up)
            {
                phase -= up;
                first++;
            }
        }

        _outputIndex += destination.Length;
    }

    public void Dispose()
    {
        float[]? window = Interlocked.Exchange(ref _window, null);
        if (window is not null)
        {
            _pool.Return(window);
        }

        float[]? phases = Interlocked.Exchange(ref _phases, null);
        if (phases is not null)
        {
            _pool.Return(phases);
        }
    }

    private float[] Window => _window ?? throw new ObjectDisposedException(nameof(StreamingResampler));

    private void Append(ReadOnlySpan<float> block)
    {
        block.CopyTo(Window.AsSpan(_windowLength));
        _windowLength += block.Length;
    }

    private void Emit(PcmBuffer output, long limit)
    {
        float[] window = Window;
        int halfWidth = _plan.HalfWidth;
        long up = _plan.Up;
        long down = _plan.Down;
        long windowEnd = _windowStart + _windowLength;

        // Count the outputs whose whole filter span lies inside the window, then write them in one go.
        long lastBase = windowEnd - halfWidth - 1;
        // Outputs n with floor(n · M / L) <= lastBase number ceil((lastBase + 1) · L / M).
        long available = lastBase < 0 ? 0 : Math.Max(0, ((((lastBase + 1) * up) + down - 1) / down) - _outputIndex);
        available = Math.Min(available, limit - _outputIndex);
        if (available > 0)
        {
            Span<float> destination = output.GetSpan((int)available);
            int done = up == 1 && Vector.IsHardwareAccelerated ? Decimate(window, destination, (int)down) : 0;
            _outputIndex += done;
            if (done < destination.Length && Vector256.IsHardwareAccelerated)
            {
                Interpolate(window, destination[done..]);
                done = destination.Length;
            }

            for (int i = done; i < destination.Length; i++)
            {
                destination[i] = _plan.Sample(window, _windowStart, _outputIndex++);
            }

            output.Advance(destination.Length);
        }

        // Keep only the history the next output needs.
        long nextFirst = ((_outputIndex * down) / up) - halfWidth + 1;
        int drop = (int)Math.Clamp(nextFirst - _windowStart, 0, _windowLength);
        if (drop > 0)
        {
            window.AsSpan(drop, _windowLength - drop).CopyTo(window);
            _windowLength -= drop;
            _windowStart += drop;
        }
    }
}
