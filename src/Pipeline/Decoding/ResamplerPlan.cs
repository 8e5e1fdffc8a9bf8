using System.Collections.Concurrent;
using MusicClassification.Features.Dsp;

namespace MusicClassification.Decoding;

/// <summary>
/// An immutable polyphase windowed-sinc filter bank converting <see cref="InputRate"/> to <see cref="OutputRate"/>;
/// built once per rate pair and shared by every thread (per-song state lives in <see cref="StreamingResampler"/>).
/// </summary>
/// <remarks>
/// Design: the same windowed-sinc family and parameters as FFmpeg's libswresample default (cutoff at
/// <see cref="Rolloff"/> = 97 % of the lower Nyquist frequency, a filter of 2 × <see cref="ZeroCrossings"/> zero
/// crossings, Kaiser β = <see cref="KaiserBeta"/>). Why this one: the reference numbers in shared/reference were
/// produced through that resampler, and the top mel band (hence every MFCC), centroid and roll-off depend on the filter's
/// last kilohertz. Measured: with a soxr-HQ-like filter (flat to 91 %, stop at 100 %) the high MFCC means of a music
/// clip were off by up to 18 % of their GTZAN spread; with this design the worst column is off by 0.3 %.
/// Response at 44.1 → 22.05 kHz (tested from the taps): flat within ±0.01 dB up to 9 kHz, −6 dB at 10.7 kHz, −10 dB at
/// 11.025 kHz (so the last ~600 Hz below Nyquist receive some attenuated alias), below −80 dB from 13.5 kHz.
/// Each phase is normalised to unit DC gain. Ratios whose reduced numerator exceeds <see cref="MaxPhases"/> use the
/// nearest lower of <see cref="MaxPhases"/> phases (timing error under 1/4096 sample).
/// </remarks>
internal sealed class ResamplerPlan
{
    public const double Rolloff = 0.97;
    public const int ZeroCrossings = 16;
    public const double KaiserBeta = 9.0;
    public const int MaxPhases = 4096;

    private static readonly ConcurrentDictionary<(int In, int Out), ResamplerPlan> Cache = new();
    private readonly float[] _taps;

    private ResamplerPlan(int inputRate, int outputRate)
    {
        InputRate = inputRate;
        OutputRate = outputRate;
        int divisor = Gcd(inputRate, outputRate);
        Up = outputRate / divisor;
        Down = inputRate / divisor;
        PhaseCount = Math.Min(Up, MaxPhases);

        // Cutoff in cycles per input sample, below the lower of the two Nyquist frequencies.
        double cutoff = Rolloff * Math.Min(inputRate, outputRate) / (2.0 * inputRate);
        int halfWidth = (int)Math.Ceiling(ZeroCrossings / (2 * cutoff));
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
                double h = 2 * cutoff * Windows.Sinc(2 * cutoff * u) * Windows.Kaiser(u / halfWidth, KaiserBeta);
                phaseTaps[j] = h;
                sum += h;
            }

            for (int j = 0; j < TapCount; j++)
            {
                _taps[(phase * TapCount) + j] = (float)(phaseTaps[j] / sum);
            }
        }
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Gets L in out = in · L / M.</summary>
    public int Up { get; }

    /// <summary>Gets M in out = in · L / M.</summary>
    public int Down { get; }

    public int PhaseCount { get; }

    public int TapCount { get; }

    public int HalfWidth => TapCount / 2;

    public static ResamplerPlan For(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        return Cache.GetOrAdd((inputRate, outputRate), static key => new ResamplerPlan(key.In, key.Out));
    }

    /// <summary>The number of output samples for <paramref name="inputLength"/> input samples: ceil(n · L / M).</summary>
    public long OutputLength(long inputLength) => ((inputLength * Up) + Down - 1) / Down;

    /// <summary>The filter for output position fraction <paramref name="phase"/>/<see cref="Up"/>.</summary>
    public ReadOnlySpan<float> Taps(long phase)
    {
        long index = PhaseCount == Up ? phase : phase * PhaseCount / Up;
        return _taps.AsSpan((int)index * TapCount, TapCount);
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
