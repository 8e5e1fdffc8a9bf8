using BenchmarkDotNet.Attributes;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>
/// The whole pipeline over a batch of generated WAV songs (30 s, 44.1 kHz stereo): time and allocations are reported
/// per song (OperationsPerInvoke), so songs/s = 1 / Mean.
/// </summary>
public class PipelineBenchmarks
{
    private const int Songs = 32;
    private List<SongInput> _songs = [];
    private MusicClassificationPipeline _pipeline = null!;

    [Params(1, 4)]
    public int Parallelism { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _songs = Enumerable.Range(0, Songs).Select(i =>
        {
            float[] tone = TestSignals.Sine(110 + (i * 10), 30, 44_100, amplitude: 0.3);
            return SongInput.FromBytes($"song-{i}", WavBytes.Encode(TestSignals.Interleave(tone, tone), 44_100, 2));
        }).ToList();
        _pipeline = MusicClassificationPipeline.Create(new PipelineOptions { MaxDegreeOfParallelism = Parallelism });
    }

    [GlobalCleanup]
    public void Cleanup() => _pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Songs, Description = "30 s 44.1 kHz stereo WAV songs through the pipeline (per song)")]
    public async Task<double> ClassifyBatch()
    {
        double total = 0;
        await foreach (SongResult result in _pipeline.ClassifyAsync(_songs))
        {
            total += result.Audio?.RmsDbfs ?? throw new InvalidOperationException(result.Error?.Message);
        }

        return total;
    }
}
