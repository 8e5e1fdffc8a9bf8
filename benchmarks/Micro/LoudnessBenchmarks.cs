using BenchmarkDotNet.Attributes;
using MusicClassification.Dsp.Loudness;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>
/// The EBU R128 meter on a three-minute 44.1 kHz stereo song that sounds mastered (noise driven into a soft limiter, so
/// most samples sit within 3 dB of the peak and the true-peak meter interpolates nearly every pair, as on real masters),
/// fed in the decoder's 4096-frame blocks, against its true-peak part alone.
/// </summary>
public class LoudnessBenchmarks
{
    private const int Rate = 44_100;
    private const int Block = 2 * 4096;
    private float[] _stereo = [];

    [GlobalSetup]
    public void Setup() =>
        _stereo = [.. TestSignals.Interleave(TestSignals.WhiteNoise(180, Rate, seed: 3, amplitude: 0.5), TestSignals.WhiteNoise(180, Rate, seed: 4, amplitude: 0.5))
            .Select(x => 0.9f * MathF.Tanh(3 * x))];

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
