using BenchmarkDotNet.Attributes;
using MusicClassification.Dsp.Loudness;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>
/// The EBU R128 meter on a three-minute 44.1 kHz stereo song that sounds mastered (noise driven into a soft limiter, so
/// most samples sit within 3 dB of the peak and the true-peak meter interpolates nearly every pair, as on real masters),
/// fed in the decoder's 4096-frame blocks, against its true-peak part alone. The limiter's noise is not band-limited
/// and overshoots between samples by more than 3 dB, which lifts the peak found early and lets the meter skip most
/// pairs afterwards; decoded music is band-limited, so the true peak is also measured on loud sines below 10 kHz, where
/// most pairs stay candidates.
/// </summary>
public class LoudnessBenchmarks
{
    private const int Rate = 44_100;
    private const int Block = 2 * 4096;
    private float[] _stereo = [];
    private float[] _sines = [];

    [GlobalSetup]
    public void Setup()
    {
        _stereo = [.. TestSignals.Interleave(TestSignals.WhiteNoise(180, Rate, seed: 3, amplitude: 0.5), TestSignals.WhiteNoise(180, Rate, seed: 4, amplitude: 0.5))
            .Select(x => 0.9f * MathF.Tanh(3 * x))];
        float[] Sines(double[] hz) => [.. Enumerable.Range(0, 180 * Rate).Select(n => (float)(0.19 * hz.Sum(f => Math.Sin(2 * Math.PI * f * n / Rate))))];
        _sines = TestSignals.Interleave(Sines([110, 440, 2_000, 5_100, 9_300]), Sines([147, 587, 2_500, 6_200, 8_800]));
    }

    [Benchmark(Description = "true peak alone, loud band-limited sines, 180 s stereo")]
    public double TruePeakSines()
    {
        var meter = new TruePeakDetector(2);
        for (int offset = 0; offset < _sines.Length; offset += Block)
        {
            meter.Add(_sines.AsSpan(offset, Math.Min(Block, _sines.Length - offset)));
        }

        return meter.MaxAbs;
    }

    [Benchmark(Baseline = true, Description = "true peak alone, 180 s stereo")]
    public double TruePeak()
    {
        var meter = new TruePeakDetector(2);
        for (int offset = 0; offset < _stereo.Length; offset += Block)
        {
            meter.Add(_stereo.AsSpan(offset, Math.Min(Block, _stereo.Length - offset)));
        }

        return meter.MaxAbs;
    }

    [Benchmark(Description = "loudness meter (K-weighting, gating, true peak), 180 s stereo")]
    public double Meter()
    {
        var meter = new LoudnessMeter(Rate, 2);
        for (int offset = 0; offset < _stereo.Length; offset += Block)
        {
            meter.Add(_stereo.AsSpan(offset, Math.Min(Block, _stereo.Length - offset)));
        }

        return meter.Result().IntegratedLufs ?? 0;
    }
}
