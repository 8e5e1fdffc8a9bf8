using BenchmarkDotNet.Attributes;
using MathNet.Numerics.IntegralTransforms;
using MusicClassification.Dsp.Fft;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Micro;

/// <summary>Our real FFT against MathNet.Numerics' real FFT (the baseline) on the same frame.</summary>
public class FftBenchmarks
{
    private float[] _frame = [];
    private float[] _mathNetBuffer = [];
    private float[] _scratch = [];
    private float[] _re = [];
    private float[] _im = [];
    private RealFftPlan _plan = null!;

    [Params(512, 1024, 2048, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = TestSignals.WhiteNoise(1, Size, seed: 1);
        _mathNetBuffer = new float[Size + 2];
        _plan = RealFftPlan.For(Size);
        _scratch = new float[_plan.ScratchLength];
        _re = new float[_plan.BinCount];
        _im = new float[_plan.BinCount];
        Fourier.ForwardReal(_mathNetBuffer, Size, FourierOptions.NoScaling);
    }

    [Benchmark(Baseline = true, Description = "MathNet Fourier.ForwardReal")]
    public float MathNet()
    {
        _frame.CopyTo(_mathNetBuffer, 0);
        Fourier.ForwardReal(_mathNetBuffer, Size, FourierOptions.NoScaling);
        return _mathNetBuffer[2];
    }

    [Benchmark(Description = "RealFftPlan.Forward")]
    public float Ours()
    {
        _plan.Forward(_frame, _scratch, _re, _im);
        return _re[1];
    }
}
