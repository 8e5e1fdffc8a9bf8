using MusicClassification.Dsp;
using MusicClassification.Dsp.Loudness;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

[TestClass]
public sealed class TruePeakDetectorTests
{
    [TestMethod]
    [DataRow(4096)]
    [DataRow(1000)]
    [DataRow(37)]
    public void The_true_peak_is_the_largest_interpolated_value_whatever_the_blocks(int chunkFrames)
    {
        // Left: five loud sines (band-limited, as decoded music is), where many pairs are candidates; right: quiet noise
        // with one burst of sine whose true peak lies between samples and is the song's (the detector skips pairs more
        // than 3 dB below the peak so far: band-limited audio does not overshoot its samples by more). Large blocks
        // reach it through the paths that interpolate many pairs at once, small ones through the one-vector and scalar
        // paths. The truth: every pair's three in-between values, summed here in double precision.
        const int Frames = 48_000;
        var random = new Random(4);
        double[] phases = [.. Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 2 * Math.PI)];
        double[] hz = [110, 440, 2_000, 5_100, 9_300];
        float[] left = [.. Enumerable.Range(0, Frames).Select(n => (float)(0.19 * hz.Select((f, k) => Math.Sin((2 * Math.PI * f * n / Frames) + phases[k])).Sum()))];
        double leftPeak = InterpolatedPeak(left);

        // The burst at sixteen places, so that its peak falls in every vector of a group of pairs interpolated together.
        for (int shift = 0; shift < 16; shift++)
        {
            float[] right = TestSignals.WhiteNoise(1, Frames, seed: 5, amplitude: 0.05);
            int at = 30_011 + (shift * 5);
            for (int n = 0; n < 256; n++)
            {
                // An eighth of the rate, never sampled at its crests, under a Hann envelope: band-limited, its peak between samples.
                double envelope = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / 256));
                right[at + n] = (float)(1.2 * envelope * Math.Sin((Math.PI * n / 4) + (Math.PI / 8)));
            }

            float[] interleaved = TestSignals.Interleave(left, right);
            var detector = new TruePeakDetector(2);
            for (int f = 0; f < Frames; f += chunkFrames)
            {
                detector.Add(interleaved.AsSpan(2 * f, 2 * Math.Min(chunkFrames, Frames - f)));
            }

            double expected = Math.Max(leftPeak, InterpolatedPeak(right));
            Assert.IsGreaterThan(Math.Max(left.Max(Math.Abs), right.Max(Math.Abs)) + 0.01, expected, "the largest value lies between samples");
            Assert.AreEqual(expected, detector.MaxAbs, 2e-6, $"burst at {at}: expected {expected:R}, got {detector.MaxAbs:R}");
        }
    }

    private static double InterpolatedPeak(float[] x)
    {
        const int HalfTaps = 12;
        double peak = x.Max(Math.Abs);
        for (int p = 1; p < 4; p++)
        {
            var taps = new float[2 * HalfTaps];
            for (int j = 0; j < taps.Length; j++)
            {
                double u = (p / 4.0) - (j - HalfTaps + 1);
                taps[j] = (float)(Windows.Sinc(u) * Windows.Kaiser(u / HalfTaps, 8.0));
            }

            for (int n = HalfTaps - 1; n + HalfTaps < x.Length; n++)
            {
                double sum = 0;
                for (int j = 0; j < taps.Length; j++)
                {
                    sum += taps[j] * (double)x[n - HalfTaps + 1 + j];
                }

                peak = Math.Max(peak, Math.Abs(sum));
            }
        }

        return peak;
    }
}
