using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Decoding;

[TestClass]
public sealed class WavDecoderTests
{
    private const int Rate = 22_050;

    public static IEnumerable<object[]> Encodings() =>
        from encoding in Enum.GetValues<WavEncoding>()
        from extensible in new[] { false, true }
        select new object[] { encoding, extensible };

    [TestMethod]
    [DynamicData(nameof(Encodings))]
    public async Task Every_sample_encoding_decodes_to_the_original_signal(WavEncoding encoding, bool extensible)
    {
        float[] sine = TestSignals.Sine(440, 0.5, Rate, amplitude: 0.5);
        byte[] wav = WavBytes.Encode(sine, Rate, 1, encoding, extensible);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(wav, Rate);

        Assert.AreEqual(sine.Length, audio.Length);
        Assert.AreEqual(Rate, audio.SampleRate);
        Assert.AreEqual(Rate, audio.Source.SampleRate);
        Assert.AreEqual(1, audio.Source.Channels);
        double tolerance = encoding == WavEncoding.Pcm8 ? 1.0 / 120 : 1e-4;
        for (int i = 0; i < sine.Length; i++)
        {
            Assert.AreEqual(sine[i], audio.Samples[i], tolerance, $"sample {i}");
        }
    }

    [TestMethod]
    [DataRow(WavEncoding.Float32)]
    [DataRow(WavEncoding.Float64)]
    public async Task Subnormal_float_samples_enter_the_analysis_as_silence(WavEncoding encoding)
    {
        // Subnormals cost 10-100x per multiply; flushed where samples enter, such a song costs what silence costs.
        float[] subnormal = Enumerable.Range(0, Rate).Select(i => (i % 2 == 0 ? 1 : -1) * 1e-40f * (1 + (i % 7))).ToArray();
        Assert.IsTrue(float.IsSubnormal(subnormal[0]));

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(WavBytes.Encode(subnormal, Rate, 1, encoding), Rate);

        Assert.AreEqual(Rate, audio.Length);
        Assert.IsTrue(audio.Samples.ToArray().All(s => s == 0), "every subnormal sample is flushed to 0");
    }

    [TestMethod]
    public async Task Quiet_but_normal_float_samples_are_kept_exactly()
    {
        // -120 dBFS is quiet, not nothing: it stays as it is.
        float[] quiet = TestSignals.Sine(440, 0.5, Rate, amplitude: 1e-6);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(WavBytes.Encode(quiet, Rate, 1, WavEncoding.Float32), Rate);

        float[] decoded = audio.Samples.ToArray();
        for (int i = 0; i < quiet.Length; i++)
        {
            // Only the samples at the sine's zero crossings (below -300 dBFS) become exactly 0.
            Assert.AreEqual(MathF.Abs(quiet[i]) < 1e-15f ? 0 : quiet[i], decoded[i], $"sample {i}");
        }
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(6)]
    [DataRow(8)]
    public async Task Any_channel_count_mixes_to_the_mean_of_the_channels(int channels)
    {
        float[][] signals = Enumerable.Range(0, channels)
            .Select(c => TestSignals.Sine(200 + (100 * c), 0.25, Rate, amplitude: 0.8 / channels, phase: c))
            .ToArray();
        byte[] wav = WavBytes.Encode(TestSignals.Interleave(signals), Rate, channels, WavEncoding.Float32, extensible: channels > 2);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(wav, Rate);

        Assert.AreEqual(channels, audio.Source.Channels);
        for (int i = 0; i < audio.Length; i++)
        {
            double mean = signals.Average(s => (double)s[i]);
            Assert.AreEqual(mean, audio.Samples[i], 1e-6, $"sample {i}");
        }
    }

    [TestMethod]
    public async Task Opposite_stereo_channels_cancel_to_silence()
    {
        float[] left = TestSignals.Sine(440, 0.1, Rate);
        float[] right = left.Select(s => -s).ToArray();
        byte[] wav = WavBytes.Encode(TestSignals.Interleave(left, right), Rate, 2, WavEncoding.Pcm16);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(wav, Rate);

        Assert.AreEqual(0, TestSignals.Rms(audio.Samples), 1e-6);
    }

    [TestMethod]
    public async Task Unknown_chunks_before_and_after_the_audio_are_skipped()
    {
        float[] sine = TestSignals.Sine(440, 0.1, Rate);
        byte[] wav = WavBytes.Riff(
            ("LIST", new byte[13]),
            ("fmt ", WavBytes.Format(Rate, 1, WavEncoding.Pcm16)),
            ("JUNK", new byte[100]),
            ("data", WavBytes.EncodeSamples(sine, WavEncoding.Pcm16)),
            ("id3 ", new byte[40]));

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(wav, Rate);

        Assert.AreEqual(sine.Length, audio.Length);
    }

    [TestMethod]
    public async Task Rf64_with_a_ds64_chunk_decodes()
    {
        float[] sine = TestSignals.Sine(440, 0.1, Rate);
        byte[] data = WavBytes.EncodeSamples(sine, WavEncoding.Pcm16);
        byte[] ds64 = new byte[28];
        BitConverter.TryWriteBytes(ds64.AsSpan(8), (long)data.Length);
        using var stream = new MemoryStream();
        stream.Write("RF64"u8);
        stream.Write(BitConverter.GetBytes(uint.MaxValue));
        stream.Write("WAVE"u8);
        WavBytes.WriteChunk(stream, "ds64", (uint)ds64.Length, ds64);
        byte[] fmt = WavBytes.Format(Rate, 1, WavEncoding.Pcm16);
        WavBytes.WriteChunk(stream, "fmt ", (uint)fmt.Length, fmt);
        WavBytes.WriteChunk(stream, "data", uint.MaxValue, data);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(stream.ToArray(), Rate);

        Assert.AreEqual(sine.Length, audio.Length);
        Assert.AreEqual("wav/pcm16", audio.Source.Format);
    }

    [TestMethod]
    public async Task A_streamed_wav_with_unknown_data_size_reads_to_the_end()
    {
        float[] sine = TestSignals.Sine(440, 0.1, Rate);
        byte[] wav = WavBytes.Encode(sine, Rate);
        BitConverter.TryWriteBytes(wav.AsSpan(WavBytes.ChunkSizeOffset(wav, "data")), uint.MaxValue);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(wav, Rate);

        Assert.AreEqual(sine.Length, audio.Length);
    }

    [TestMethod]
    public async Task Songs_at_another_rate_are_resampled_to_the_analysis_rate()
    {
        float[] sine = TestSignals.Sine(1000, 1.0, 44_100);
        byte[] wav = WavBytes.Encode(sine, 44_100, 1, WavEncoding.Float32);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(wav, Rate);

        Assert.AreEqual(Rate, audio.SampleRate);
        Assert.AreEqual(44_100, audio.Source.SampleRate);
        Assert.AreEqual(Rate, audio.Length);
        Assert.AreEqual(1.0, audio.DurationSeconds, 1e-9);
    }
}
