using BenchmarkDotNet.Attributes;
using MusicClassification.Dsp;
using MusicClassification.Features;
using MusicClassification.Features.Gtzan;
using MusicClassification.Features.Rhythm;
using MusicClassification.Features.Tonal;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>
/// The Essentia-level tempo and key on a default analysis window (180 s at 22.05 kHz: chords over a click track and
/// noise), each stage of the beat tracker apart, against the GTZAN vector of its middle 30 s in the same run.
/// </summary>
public class TempoKeyBenchmarks
{
    private const int Rate = 22_050;
    private float[] _song = [];
    private float[] _song44 = [];
    private OnsetFunctions? _onsets;

    [GlobalSetup]
    public void Setup()
    {
        float[] clicks = TestSignals.ClickTrack(124, 180, Rate);
        float[] chords = TestSignals.ChordProgression([.. Enumerable.Repeat<int[][]>([[48, 60, 64, 67], [53, 60, 65, 69], [55, 59, 62, 67], [48, 60, 64, 67]], 30).SelectMany(c => c)], 1.5, Rate);
        float[] noise = TestSignals.WhiteNoise(180, Rate, seed: 2, amplitude: 0.05);
        _song = [.. clicks.Select((c, i) => c + (i < chords.Length ? chords[i] : 0) + noise[i])];
        _onsets = Features.Rhythm.OnsetFunctions.Compute(_song, Rate, SampleBuffers.Shared, CancellationToken.None);

        // The same song at 44.1 kHz, the rate the decoder feeds the onset functions at.
        float[] clicks44 = TestSignals.ClickTrack(124, 180, 44_100);
        float[] chords44 = TestSignals.ChordProgression([.. Enumerable.Repeat<int[][]>([[48, 60, 64, 67], [53, 60, 65, 69], [55, 59, 62, 67], [48, 60, 64, 67]], 30).SelectMany(c => c)], 1.5, 44_100);
        float[] noise44 = TestSignals.WhiteNoise(180, 44_100, seed: 2, amplitude: 0.05);
        _song44 = [.. clicks44.Select((c, i) => c + (i < chords44.Length ? chords44[i] : 0) + noise44[i])];
    }

    [Benchmark(Baseline = true, Description = "GTZAN vector of the middle 30 s (reference)")]
    public double Gtzan()
    {
        var columns = new Dictionary<string, double>();
        GtzanFeatureExtractor.Compute(_song.AsSpan(75 * Rate, 30 * Rate), columns, SampleBuffers.Shared, CancellationToken.None);
        return columns["tempo"];
    }

    [Benchmark(Description = "tempo: whole beat tracker, 180 s")]
    public double Beats() => Features.Rhythm.BeatTracker.Analyse(_song, Rate, SampleBuffers.Shared, CancellationToken.None).Bpm;

    [Benchmark(Description = "tempo: the five onset functions (one STFT)")]
    public int Onsets() => Features.Rhythm.OnsetFunctions.Compute(_song, Rate, SampleBuffers.Shared, CancellationToken.None).InfoGain.Length;

    [Benchmark(Description = "tempo: the five onset functions at 44.1 kHz, 180 s (the decoder's tap)")]
    public int Onsets44() => Features.Rhythm.OnsetFunctions.Compute(_song44, 44_100, SampleBuffers.Shared, CancellationToken.None).InfoGain.Length;

    [Benchmark(Description = "tempo: one Degara tracker (beat emphasis)")]
    public int Degara() => DegaraBeatTracker.Track(_onsets!.BeatEmphasis, _onsets.FastRate, 1, 40, 208, new GlibcRandom(), SampleBuffers.Shared).Count;

    [Benchmark(Description = "key: HPCP key, 180 s")]
    public double Key() => KeyEstimator.Estimate(_song, Rate, KeyProfile.Edma, SampleBuffers.Shared, CancellationToken.None)?.Strength ?? 0;
}
