using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MusicClassification.Dsp;

namespace MusicClassification.Dsp.Resampling;

/// <summary>
/// An immutable polyphase windowed-sinc filter bank converting <see cref="InputRate"/> to <see cref="OutputRate"/>;
/// built once per rate pair and shared by every thread (per-song state lives in the decoder's streaming resampler).
/// </summary>
/// <remarks>
/// The filter follows a <see cref="ResamplerDesign"/>. Each phase is normalised to unit DC gain. Ratios whose reduced
/// numerator exceeds <see cref="MaxPhases"/> use the nearest lower of <see cref="MaxPhases"/> phases (timing error under
/// 1/4096 sample).
/// </remarks>
internal sealed class ResamplerPlan
{
    public const int MaxPhases = 4096;

    private static readonly ConcurrentDictionary<(int In, int Out, ResamplerDesign Design), ResamplerPlan> Cache = new();
    private readonly float[] _taps;
    private readonly float[] _paddedTaps;

    private ResamplerPlan(int inputRate, int outputRate, ResamplerDesign design)
    {
        Design = design;
        InputRate = inputRate;
        OutputRate = outputRate;
        int divisor = Gcd(inputRate, outputRate);
        Up = outputRate / divisor;
        Down = inputRate / divisor;
        PhaseCount = Math.Min(Up, MaxPhases);

        // Cutoff in cycles per input sample, below the lower of the two Nyquist frequencies.
        double cutoff = design.Rolloff * Math.Min(inputRate, outputRate) / (2.0 * inputRate);
        int halfWidth = (int)Math.Ceiling(design.ZeroCrossings / (2 * cutoff));
        TapCount = 2 * halfWidth;
        _taps = new float[PhaseCount * TapCount];

        double[] phaseTaps = new double[TapCount];
        for (int phase = 0; phase < PhaseCount; phase++)
        {
            double fraction = (double)phase / PhaseCount;
            double sum = 0;
            for (int j = 0; j < TapCount; j++)
            {
                // Tap j multiplies the input sample at floor(t) − halfWidth + 1 + j, which is u input samples before t.
                double u = fraction + halfWidth - 1 - j;
                double h = 2 * cutoff * Windows.Sinc(2 * cutoff * u) * Windows.Kaiser(u / halfWidth, design.KaiserBeta);
                phaseTaps[j] = h;
                sum += h;
            }

            for (int j = 0; j < TapCount; j++)
            {
                _taps[(phase * TapCount) + j] = (float)(phaseTaps[j] / sum);
            }
        }

        PaddedTapCount = (TapCount + Vector256<float>.Count - 1) / Vector256<float>.Count * Vector256<float>.Count;
        _paddedTaps = new float[PhaseCount * PaddedTapCount];
        for (int phase = 0; phase < PhaseCount; phase++)
        {
            _taps.AsSpan(phase * TapCount, TapCount).CopyTo(_paddedTaps.AsSpan(phase * PaddedTapCount));
        }
    }

    /// <summary>Gets <see cref="TapCount"/> rounded up to whole 256-bit vectors (the padding taps are 0).</summary>
    public int PaddedTapCount { get; }

    public ResamplerDesign Design { get; }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Gets L in out = in · L / M.</summary>
    public int Up { get; }

    /// <summary>Gets M in out = in · L / M.</summary>
    public int Down { get; }

    public int PhaseCount { get; }

    public int TapCount { get; }

    public int HalfWidth => TapCount / 2;

    /// <summary>The shared plan for a rate pair, by default with the analysis signal's design (<see cref="ResamplerDesign.Swresample"/>).</summary>
    public static ResamplerPlan For(int inputRate, int outputRate, ResamplerDesign? design = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        return Cache.GetOrAdd((inputRate, outputRate, design ?? ResamplerDesign.Swresample), static key => new ResamplerPlan(key.In, key.Out, key.Design));
    }

    /// <summary>The number of output samples for <paramref name="inputLength"/> input samples: ceil(n · L / M).</summary>
    public long OutputLength(long inputLength) => ((inputLength * Up) + Down - 1) / Down;

    /// <summary>
    /// Writes output samples <paramref name="firstOutput"/> … + <paramref name="output"/>.Length of the whole
    /// <paramref name="input"/> resampled (zeros outside it), the same values the decoder's streaming resampler gives, without
    /// resampling what comes before: for callers that need a few spans of a long signal.
    /// </summary>
    public void Resample(ReadOnlySpan<float> input, long firstOutput, Span<float> output, ArrayPool<float> pool)
    {
        if (output.IsEmpty)
        {
            return;
        }

        long firstInput = (firstOutput * Down / Up) - HalfWidth + 1;
        long lastInput = ((firstOutput + output.Length - 1) * Down / Up) + HalfWidth;
        int length = (int)(lastInput - firstInput + 1);
        float[] padded = pool.Rent(length);
        try
        {
            Span<float> window = padded.AsSpan(0, length);
            window.Clear();
            long from = Math.Max(firstInput, 0);
            long to = Math.Min(lastInput + 1, input.Length);
            if (to > from)
            {
                input[(int)from..(int)to].CopyTo(window[(int)(from - firstInput)..]);
            }

            for (int i = 0; i < output.Length; i++)
            {
                output[i] = Sample(window, firstInput, firstOutput + i);
            }
        }
        finally
        {
            pool.Return(padded);
        }
    }

    /// <summary>
    /// Output sample <paramref name="n"/>, from <paramref name="window"/> holding the input from sample
    /// <paramref name="windowStart"/> on, which must cover the filter's span around it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Sample(ReadOnlySpan<float> window, long windowStart, long n)
    {
        long position = n * Down;
        long baseIndex = position / Up;
        int first = (int)(baseIndex - HalfWidth + 1 - windowStart);
        return TensorPrimitives.Dot(window.Slice(first, TapCount), Taps(position - (baseIndex * Up)));
    }

    /// <summary>The filter for output position fraction <paramref name="phase"/>/<see cref="Up"/>.</summary>
    public ReadOnlySpan<float> Taps(long phase)
    {
        long index = PhaseCount == Up ? phase : phase * PhaseCount / Up;
        return _taps.AsSpan((int)index * TapCount, TapCount);
    }

    /// <summary>The filter for <paramref name="phase"/>, zero-padded to <see cref="PaddedTapCount"/> taps.</summary>
    public ReadOnlySpan<float> PaddedTaps(long phase)
    {
        long index = PhaseCount == Up ? phase : phase * PhaseCount / Up;
        return _paddedTaps.AsSpan((int)index * PaddedTapCount, PaddedTapCount);
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
