using MusicClassification.Dsp;
using MusicClassification.Features.Rhythm;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

/// <summary>
/// The streaming onset functions (what the decoder feeds while it decodes) against the same signal given whole: the
/// blocks the decoder happens to deliver, the length it announces or not, must not change a single value.
/// </summary>
[TestClass]
public sealed class OnsetFunctionsBuilderTests
{
    private const int Rate = 44_100;

    [TestMethod]
    [DataRow(1, true)]
    [DataRow(2, false)]
    [DataRow(3, true)]
    public void The_functions_do_not_depend_on_how_the_signal_arrives(int seed, bool announced)
    {
        // 20.3 s: neither a whole number of hops nor of batches, so the last frames are partial.
        float[] clicks = TestSignals.ClickTrack(131, 20.3, Rate);
        float[] noise = TestSignals.WhiteNoise(20.3, Rate, seed, amplitude: 0.02);
        float[] signal = [.. clicks.Zip(noise, (c, n) => c + n)];
        OnsetFunctions whole = OnsetFunctions.Compute(signal, Rate, SampleBuffers.Shared, CancellationToken.None);

        var random = new Random(seed);
        using var builder = new OnsetFunctionsBuilder(Rate, SampleBuffers.Shared);
        if (announced)
        {
            builder.Reserve(signal.Length);
        }

        for (int offset = 0; offset < signal.Length;)
        {
            int length = Math.Min(signal.Length - offset, random.Next(1, 20_000));
            builder.Write(signal.AsSpan(offset, length));
            offset += length;
        }

        OnsetFunctions streamed = builder.Complete();

        Assert.AreEqual(whole.SlowRate, streamed.SlowRate);
        Assert.AreEqual(whole.FastRate, streamed.FastRate);
        CollectionAssert.AreEqual(whole.Complex, streamed.Complex);
        CollectionAssert.AreEqual(whole.Rms, streamed.Rms);
        CollectionAssert.AreEqual(whole.MelFlux, streamed.MelFlux);
        CollectionAssert.AreEqual(whole.BeatEmphasis, streamed.BeatEmphasis);
        CollectionAssert.AreEqual(whole.InfoGain, streamed.InfoGain);
    }

    [TestMethod]
    [DataRow(2048 * 5)]
    [DataRow((2048 * 5) + 512)]
    [DataRow((2048 * 5) + 700)]
    public void The_slow_functions_end_with_the_first_frame_to_reach_the_end(int length)
    {
        float[] signal = TestSignals.WhiteNoise((double)length / Rate, Rate, seed: 4, amplitude: 0.1)[..length];

        OnsetFunctions functions = OnsetFunctions.Compute(signal, Rate, SampleBuffers.Shared, CancellationToken.None);

        // Essentia's FrameCutter: frames from the first sample every hop, the last the first one to reach the end.
        Assert.HasCount(((length - 2048 + 1023) / 1024) + 1, functions.Complex);
        Assert.HasCount(((length - 2048 + 511) / 512) + 1, functions.InfoGain);
        Assert.HasCount(functions.InfoGain.Length, functions.BeatEmphasis);
        Assert.IsGreaterThan(0f, functions.Complex[^1], "the last slow frame is computed, not left at 0");
    }
}
