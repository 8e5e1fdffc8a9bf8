using BenchmarkDotNet.Attributes;
using MusicClassification.Decoding;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Resampling;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>
/// The streaming resampler alone on three minutes of mono noise, fed in the decoder's 4096-sample blocks: the 2:1
/// decimation of 44.1 kHz (the common case, vectorised), 48 → 22.05 kHz (the polyphase path), and 48 → 44.1 kHz (what
/// the tempo's tap gets from a 48 kHz song).
/// </summary>
public class ResamplerBenchmarks
{
    private const int Block = 4096;
    private float[] _at44 = [];
    private float[] _at48 = [];

    [GlobalSetup]
    public void Setup()
    {
        _at44 = TestSignals.WhiteNoise(180, 44_100, seed: 5, amplitude: 0.5);
        _at48 = TestSignals.WhiteNoise(180, 48_000, seed: 6, amplitude: 0.5);
    }

    [Benchmark(Baseline = true, Description = "44.1 → 22.05 kHz, 180 s mono")]
    public int Halve() => Resample(_at44, 44_100);

    [Benchmark(Description = "48 → 22.05 kHz, 180 s mono")]
    public int From48() => Resample(_at48, 48_000);

    [Benchmark(Description = "48 → 44.1 kHz, 180 s mono (the tempo's tap)")]
    public int TempoFrom48() => Resample(_at48, 48_000, 44_100);

    private static int Resample(float[] input, int rate, int outputRate = 22_050, ResamplerDesign? design = null)
    {
        ResamplerPlan plan = ResamplerPlan.For(rate, outputRate, design);
        using var output = new PcmBuffer((int)plan.OutputLength(input.Length), int.MaxValue, SampleBuffers.Shared);
        using var resampler = new StreamingResampler(plan, Block, SampleBuffers.Shared);
        for (int offset = 0; offset < input.Length; offset += Block)
        {
            resampler.Process(input.AsSpan(offset, Math.Min(Block, input.Length - offset)), output);
        }

        resampler.Flush(output);
        return output.Length;
    }
}
