using BenchmarkDotNet.Attributes;
using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;
using MusicClassification.Dsp;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>
/// Managed WAV decoding of a 3-minute stereo song, with and without resampling to 22.05 kHz, and as the pipeline decodes
/// (the tempo's onset functions fed at 44.1 kHz while decoding).
/// </summary>
public class WavDecodeBenchmarks
{
    private byte[] _wav44 = [];
    private byte[] _wav22 = [];
    private SongDecoder _decoder = null!;
    private SongDecoder _withTempo = null!;

    [GlobalSetup]
    public void Setup()
    {
        float[] left = TestSignals.WhiteNoise(180, 44_100, seed: 1, amplitude: 0.3);
        float[] right = TestSignals.Sine(440, 180, 44_100, amplitude: 0.3);
        _wav44 = WavBytes.Encode(TestSignals.Interleave(left, right), 44_100, 2);
        _wav22 = WavBytes.Encode(TestSignals.WhiteNoise(180, 22_050, seed: 2, amplitude: 0.3), 22_050);
        _decoder = new SongDecoder(new DecodingOptions(), SampleBuffers.Shared);
        _withTempo = new SongDecoder(new DecodingOptions(), SampleBuffers.Shared, () => Features.Rhythm.BeatTracker.CreateTap(SampleBuffers.Shared));
    }

    [Benchmark(Baseline = true, Description = "22.05 kHz mono pcm16 (no resampling)")]
    public async Task<int> DecodeNative()
    {
        using DecodedAudio audio = await _decoder.DecodeAsync(SongInput.FromBytes("b", _wav22), CancellationToken.None);
        return audio.Length;
    }

    [Benchmark(Description = "44.1 kHz stereo pcm16 → 22.05 kHz mono")]
    public async Task<int> DecodeAndResample()
    {
        using DecodedAudio audio = await _decoder.DecodeAsync(SongInput.FromBytes("a", _wav44), CancellationToken.None);
        return audio.Length;
    }

    [Benchmark(Description = "44.1 kHz stereo pcm16 → 22.05 kHz mono, the tempo's onset functions fed at 44.1 kHz")]
    public async Task<int> DecodeWithTempo()
    {
        using DecodedAudio audio = await _withTempo.DecodeAsync(SongInput.FromBytes("a", _wav44), CancellationToken.None);
        return audio.Length;
    }
}
