using BenchmarkDotNet.Attributes;
using MathNet.Numerics.IntegralTransforms;
using MusicClassification.Dsp.Fft;
using MusicClassification.Features.Gtzan;
using MusicClassification.Features.Mfcc;
using MusicClassification.Dsp;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>
/// Feature extraction on generated music-like audio (a tone over noise) at 22.05 kHz: STFT power spectra per minute
/// with MathNet's FFT as the baseline, the same with our FFT, plus the 128-band mel projection, and the full 57-column
/// GTZAN vector per 30 s clip.
/// </summary>
public class FeatureBenchmarks
{
    private const int Rate = 22_050;
    private static readonly StftFraming Framing = new(2048, 512);
    private float[] _minute = [];
    private float[] _clip = [];
    private float[] _workspace = [];
    private float[] _power = [];
    private float[] _mel = [];
    private float[] _mathNet = [];
    private float[] _minute16k = [];
    private float[] _patches = [];
    private RealFftPlan _fft = null!;
    private MelFilterBank _bank = null!;

    [GlobalSetup]
    public void Setup()
    {
        float[] noise = TestSignals.WhiteNoise(60, Rate, seed: 1, amplitude: 0.1);
        float[] tone = TestSignals.Sine(220, 60, Rate, amplitude: 0.3);
        _minute = noise.Zip(tone, (a, b) => a + b).ToArray();
        _clip = _minute[..(30 * Rate)];
        _fft = RealFftPlan.For(2048);
        _bank = MelFilterBank.For(Rate, 2048, 128);
        _workspace = new float[Framing.WorkspaceLength];
        _power = new float[_fft.BinCount];
        _mel = new float[128];
        _mathNet = new float[2048 + 2];
        _minute16k = TestSignals.WhiteNoise(60, 16_000, seed: 2, amplitude: 0.1);
        _patches = new float[MusicClassification.Features.MusiCnn.MusiCnnInput.PatchCount(_minute16k.Length) * MusicClassification.Features.MusiCnn.MusiCnnInput.PatchLength];
    }

    [Benchmark(Baseline = true, Description = "STFT power, 1 min (MathNet FFT)")]
    public float StftMathNet()
    {
        float total = 0;
        int frames = Framing.FrameCount(_minute.Length);
        Span<float> frame = _workspace.AsSpan(0, 2048);
        for (int t = 0; t < frames; t++)
        {
            Framing.WindowedFrame(_minute, t, frame);
            frame.CopyTo(_mathNet);
            Fourier.ForwardReal(_mathNet, 2048, FourierOptions.NoScaling);
            total += (_mathNet[2] * _mathNet[2]) + (_mathNet[3] * _mathNet[3]);
        }

        return total;
    }

    [Benchmark(Description = "STFT power, 1 min (ours)")]
    public float StftOurs()
    {
        float total = 0;
        int frames = Framing.FrameCount(_minute.Length);
        for (int t = 0; t < frames; t++)
        {
            Framing.PowerSpectrum(_minute, t, _fft, _workspace, _power);
            total += _power[1];
        }

        return total;
    }

    [Benchmark(Description = "STFT + 128 mel bands, 1 min (ours)")]
    public float StftMel()
    {
        float total = 0;
        int frames = Framing.FrameCount(_minute.Length);
        for (int t = 0; t < frames; t++)
        {
            Framing.PowerSpectrum(_minute, t, _fft, _workspace, _power);
            _bank.Apply(_power, _mel);
            total += _mel[10];
        }

        return total;
    }

    [Benchmark(Description = "MusiCNN log-mel patches, 1 min at 16 kHz")]
    public float MusiCnnPatches()
    {
        int count = MusicClassification.Features.MusiCnn.MusiCnnInput.Compute(_minute16k, _patches, SampleBuffers.Shared, CancellationToken.None);
        return _patches[(count * 100) % _patches.Length];
    }

    [Benchmark(Description = "GTZAN vector (57 columns), 30 s")]
    public double Gtzan()
    {
        var columns = new Dictionary<string, double>();
        GtzanFeatureExtractor.Compute(_clip, columns, SampleBuffers.Shared, CancellationToken.None);
        return columns["tempo"];
    }
}
