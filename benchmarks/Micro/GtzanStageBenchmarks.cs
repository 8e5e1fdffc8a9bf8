using BenchmarkDotNet.Attributes;
using MusicClassification.Dsp;
using MusicClassification.Features.Gtzan;
using MusicClassification.Features.Harmonic;
using MusicClassification.Features.Rhythm;
using MusicClassification.Features.Tonal;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>
/// The GTZAN vector's stages on one 30 s excerpt (a tone over noise at 22.05 kHz), against the whole vector in the same
/// run: where the time of a song's features goes.
/// </summary>
public class GtzanStageBenchmarks
{
    private const int Rate = 22_050;
    private static readonly StftFraming Framing = new(2048, 512);
    private float[] _clip = [];
    private float[] _chroma = [];
    private float[] _onsets = [];

    [GlobalSetup]
    public void Setup()
    {
        float[] noise = TestSignals.WhiteNoise(30, Rate, seed: 1, amplitude: 0.1);
        float[] tone = TestSignals.Sine(220, 30, Rate, amplitude: 0.3);
        _clip = [.. noise.Zip(tone, (a, b) => a + b)];
        _chroma = new float[Framing.FrameCount(_clip.Length) * ChromaFilterBank.Classes];
        var random = new Random(3);
        _onsets = [.. Enumerable.Range(0, Framing.FrameCount(_clip.Length)).Select(i => (float)(random.NextDouble() + (i % 43 == 0 ? 4 : 0)))];
    }

    [Benchmark(Baseline = true, Description = "GTZAN vector, 30 s (all stages)")]
    public double Whole()
    {
        var columns = new Dictionary<string, double>();
        GtzanFeatureExtractor.Compute(_clip, columns, SampleBuffers.Shared, CancellationToken.None);
        return columns["tempo"];
    }

    [Benchmark(Description = "harmonic/percussive separation (librosa hpss, with its own STFT)")]
    public double Hpss() => HarmonicPercussiveSeparation.Separate(_clip, Framing, SampleBuffers.Shared, CancellationToken.None).Harmonic.Variance;

    [Benchmark(Description = "chroma_stft (tuning + chroma)")]
    public double Chroma() => ChromaStft.Compute(_clip, Rate, Framing, _chroma, SampleBuffers.Shared, CancellationToken.None);

    [Benchmark(Description = "tempo (tempogram + autocorrelation prior)")]
    public double Tempo() => TempoEstimator.Estimate(_onsets, Rate, 512, SampleBuffers.Shared, CancellationToken.None);
}
