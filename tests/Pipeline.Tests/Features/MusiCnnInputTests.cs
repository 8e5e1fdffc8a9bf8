using MusicClassification.Features.MusiCnn;
using MusicClassification.Tests.TestAudio;
using MusicClassification.Dsp;

namespace MusicClassification.Tests.Features;

/// <summary>MusiCNN patches against an independent, deliberately naive computation of the same definition.</summary>
[TestClass]
public sealed class MusiCnnInputTests
{
    private const int Rate = MusiCnnInput.SampleRate;

    /// <summary>Slaney mel (linear below 1 kHz, log above), written out again here rather than shared with the library.</summary>
    private static double HzToMel(double hz) => hz < 1000 ? hz / (200.0 / 3) : 15 + (Math.Log(hz / 1000) / (Math.Log(6.4) / 27));

    private static double MelToHz(double mel) => mel < 15 ? mel * (200.0 / 3) : 1000 * Math.Exp((mel - 15) * (Math.Log(6.4) / 27));

    private static double[] NaiveFrameBands(float[] signal, int start)
    {
        const int N = MusiCnnInput.FrameSize;
        var power = new double[(N / 2) + 1];
        for (int k = 0; k <= N / 2; k++)
        {
            double re = 0;
            double im = 0;
            for (int n = 0; n < N; n++)
            {
                double w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / (N - 1)));
                int i = start + n;
                double x = i >= 0 && i < signal.Length ? signal[i] * w : 0;
                re += x * Math.Cos(2 * Math.PI * k * n / N);
                im -= x * Math.Sin(2 * Math.PI * k * n / N);
            }

            power[k] = (re * re) + (im * im);
        }

        var bands = new double[MusiCnnInput.Bands];
        double top = HzToMel(8000);
        for (int b = 0; b < bands.Length; b++)
        {
            double lo = MelToHz(top * b / (bands.Length + 1));
            double mid = MelToHz(top * (b + 1) / (bands.Length + 1));
            double hi = MelToHz(top * (b + 2) / (bands.Length + 1));
            double sum = 0;
            for (int k = 0; k < power.Length; k++)
            {
                double hz = (double)k * Rate / N;
                double weight = Math.Max(0, Math.Min((hz - lo) / (mid - lo), (hi - hz) / (hi - mid))) * 2 / (hi - lo);
                sum += weight * power[k];
            }

            bands[b] = Math.Log10(1 + (10_000 * sum));
        }

        return bands;
    }

    [TestMethod]
    public void Patches_match_an_independent_computation_of_the_definition()
    {
        float[] signal = TestSignals.ChordProgression([[60, 64, 67], [65, 69, 72]], 2, Rate);
        int count = MusiCnnInput.PatchCount(signal.Length);
        var patches = new float[count * MusiCnnInput.PatchLength];

        Assert.AreEqual(count, MusiCnnInput.Compute(signal, patches, SampleBuffers.Shared, CancellationToken.None));

        Assert.AreEqual(1, count, "4 s at 16 kHz hold one 187-frame patch");
        foreach (int frame in new[] { 0, 50, 120, 186 })
        {
            // Essentia's FrameCutter centres the first frame on sample 0.
            double[] expected = NaiveFrameBands(signal, (frame * MusiCnnInput.HopSize) - (MusiCnnInput.FrameSize / 2));
            for (int b = 0; b < MusiCnnInput.Bands; b++)
            {
                Assert.AreEqual(expected[b], patches[(frame * MusiCnnInput.Bands) + b], 1e-3, $"frame {frame}, band {b}");
            }
        }
    }

    [TestMethod]
    public void Frames_follow_FrameCutter_and_partial_patches_are_dropped()
    {
        // A frame for every start k·256 − 256 inside the signal.
        Assert.AreEqual(0, MusiCnnInput.FrameCount(0));
        Assert.AreEqual(2, MusiCnnInput.FrameCount(100));
        Assert.AreEqual(3, MusiCnnInput.FrameCount(512));
        Assert.AreEqual(4, MusiCnnInput.FrameCount(600));
        Assert.AreEqual(1876, MusiCnnInput.FrameCount(Rate * 30));
        Assert.AreEqual(3, MusiCnnInput.PatchCount(Rate * 10), "626 frames: 3 complete patches, the rest dropped");
        Assert.AreEqual(0, MusiCnnInput.PatchCount(0));
        Assert.AreEqual(((187 * 256) - 256, 48_128), MusiCnnInput.PatchSpan(Rate * 10, 1), "patch 1: from half a frame before frame 187 to the end of frame 373");
        Assert.AreEqual(48_128, MusiCnnInput.PatchSpanLength);
        Assert.AreEqual((0, 48_128 - 256), MusiCnnInput.PatchSpan(Rate * 10, 0), "patch 0 is clipped at the signal's start");
    }

    [TestMethod]
    public void A_song_shorter_than_one_patch_is_one_patch_padded_with_silence()
    {
        float[] signal = TestSignals.Sine(440, 2, Rate);
        int frames = MusiCnnInput.FrameCount(signal.Length);
        var patch = new float[MusiCnnInput.PatchLength];

        Assert.AreEqual(1, MusiCnnInput.PatchCount(signal.Length));
        Assert.AreEqual(1, MusiCnnInput.Compute(signal, patch, SampleBuffers.Shared, CancellationToken.None));

        Assert.AreEqual(126, frames);
        Assert.IsGreaterThan(1f, patch.AsSpan(100 * MusiCnnInput.Bands, MusiCnnInput.Bands).ToArray().Max(), "a frame inside the tone has energy");
        Assert.IsTrue(patch.AsSpan(frames * MusiCnnInput.Bands).ToArray().All(v => v == 0), "frames after the end are silence");
    }
}
