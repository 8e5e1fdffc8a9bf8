using System.Buffers.Binary;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Decoding;

[TestClass]
public sealed class HostileWavTests
{
    private const int Rate = 22_050;

    private static byte[] GoodWav(WavEncoding encoding = WavEncoding.Pcm16) =>
        WavBytes.Encode(TestSignals.Sine(440, 0.2, Rate), Rate, 1, encoding);

    private static byte[] Patched(Action<byte[]> patch)
    {
        byte[] wav = GoodWav();
        patch(wav);
        return wav;
    }

    private static int FmtBody(byte[] wav) => WavBytes.ChunkSizeOffset(wav, "fmt ") + 4;

    [TestMethod]
    public Task Empty_input_fails_with_empty_audio() => DecodeAssert.FailsAsync([], SongErrorCode.EmptyAudio);

    [TestMethod]
    public Task One_byte_fails_with_unsupported_format() => DecodeAssert.FailsAsync([0x52], SongErrorCode.UnsupportedFormat);

    [TestMethod]
    public Task Random_bytes_fail_with_unsupported_format()
    {
        byte[] noise = new byte[4096];
        new Random(7).NextBytes(noise);
        noise[0] = 0x00;
        return DecodeAssert.FailsAsync(noise, SongErrorCode.UnsupportedFormat);
    }

    [TestMethod]
    public Task Text_fails_with_unsupported_format() =>
        DecodeAssert.FailsAsync("this is not audio, just a text file pretending\n"u8.ToArray(), SongErrorCode.UnsupportedFormat);

    [TestMethod]
    public Task A_riff_header_alone_fails_with_corrupt_audio() =>
        DecodeAssert.FailsAsync(GoodWav()[..12], SongErrorCode.CorruptAudio);

    [TestMethod]
    public Task Truncated_wav_fails_with_corrupt_audio()
    {
        byte[] wav = GoodWav();
        return DecodeAssert.FailsAsync(wav[..(wav.Length / 2)], SongErrorCode.CorruptAudio);
    }

    [TestMethod]
    public Task Zero_channels_fail_with_corrupt_audio() =>
        DecodeAssert.FailsAsync(Patched(w => BinaryPrimitives.WriteUInt16LittleEndian(w.AsSpan(FmtBody(w) + 2), 0)), SongErrorCode.CorruptAudio);

    [TestMethod]
    public Task Absurd_channel_counts_fail_with_unsupported_format() =>
        DecodeAssert.FailsAsync(Patched(w => BinaryPrimitives.WriteUInt16LittleEndian(w.AsSpan(FmtBody(w) + 2), 65535)), SongErrorCode.UnsupportedFormat);

    [TestMethod]
    public Task Zero_sample_rate_fails_with_corrupt_audio() =>
        DecodeAssert.FailsAsync(Patched(w => BinaryPrimitives.WriteUInt32LittleEndian(w.AsSpan(FmtBody(w) + 4), 0)), SongErrorCode.CorruptAudio);

    [TestMethod]
    public Task Absurd_sample_rate_fails_with_unsupported_format() =>
        DecodeAssert.FailsAsync(Patched(w => BinaryPrimitives.WriteUInt32LittleEndian(w.AsSpan(FmtBody(w) + 4), uint.MaxValue)), SongErrorCode.UnsupportedFormat);

    [TestMethod]
    public Task Odd_bit_depths_fail_with_unsupported_format() =>
        DecodeAssert.FailsAsync(Patched(w => BinaryPrimitives.WriteUInt16LittleEndian(w.AsSpan(FmtBody(w) + 14), 12)), SongErrorCode.UnsupportedFormat);

    [TestMethod]
    public Task A_block_align_that_disagrees_with_the_format_fails_with_corrupt_audio() =>
        DecodeAssert.FailsAsync(Patched(w => BinaryPrimitives.WriteUInt16LittleEndian(w.AsSpan(FmtBody(w) + 12), 7)), SongErrorCode.CorruptAudio);

    [TestMethod]
    public Task A_compressed_codec_tag_over_pcm_bytes_fails_in_ffmpeg_with_corrupt_audio() =>
        DecodeAssert.FailsAsync(Patched(w => BinaryPrimitives.WriteUInt16LittleEndian(w.AsSpan(FmtBody(w)), 0x0002)), SongErrorCode.CorruptAudio);

    [TestMethod]
    public Task An_extensible_wav_with_an_unknown_sub_format_fails_with_unsupported_format()
    {
        byte[] wav = WavBytes.Encode(TestSignals.Sine(440, 0.1, Rate), Rate, 1, WavEncoding.Pcm16, extensible: true);
        wav[WavBytes.ChunkSizeOffset(wav, "fmt ") + 4 + 26] ^= 0xFF;
        return DecodeAssert.FailsAsync(wav, SongErrorCode.UnsupportedFormat);
    }

    [TestMethod]
    public Task A_short_fmt_chunk_fails_with_corrupt_audio() =>
        DecodeAssert.FailsAsync(WavBytes.Riff(("fmt ", new byte[10]), ("data", new byte[100])), SongErrorCode.CorruptAudio);

    [TestMethod]
    public Task A_data_chunk_before_fmt_fails_with_corrupt_audio() =>
        DecodeAssert.FailsAsync(WavBytes.Riff(("data", new byte[100]), ("fmt ", WavBytes.Format(Rate, 1, WavEncoding.Pcm16))), SongErrorCode.CorruptAudio);

    [TestMethod]
    public Task A_missing_data_chunk_fails_with_corrupt_audio() =>
        DecodeAssert.FailsAsync(WavBytes.Riff(("fmt ", WavBytes.Format(Rate, 1, WavEncoding.Pcm16))), SongErrorCode.CorruptAudio);

    [TestMethod]
    public Task An_empty_data_chunk_fails_with_empty_audio() =>
        DecodeAssert.FailsAsync(WavBytes.Riff(("fmt ", WavBytes.Format(Rate, 1, WavEncoding.Pcm16)), ("data", [])), SongErrorCode.EmptyAudio);

    [TestMethod]
    public Task A_chunk_size_past_the_end_fails_with_corrupt_audio()
    {
        using var stream = new MemoryStream();
        stream.Write(GoodWav().AsSpan(0, 12));
        WavBytes.WriteChunk(stream, "JUNK", 0xFFFFFFF0, new byte[16]);
        return DecodeAssert.FailsAsync(stream.ToArray(), SongErrorCode.CorruptAudio);
    }

    [TestMethod]
    public Task A_data_size_claiming_hours_of_audio_fails_fast_with_too_long()
    {
        byte[] wav = GoodWav();
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(WavBytes.ChunkSizeOffset(wav, "data")), 0xFFFFFF00);
        return DecodeAssert.FailsAsync(wav, SongErrorCode.TooLong);
    }

    [TestMethod]
    public Task Audio_longer_than_the_cap_fails_with_too_long()
    {
        byte[] wav = WavBytes.Encode(TestSignals.Silence(2.5, 8_000), 8_000);
        return DecodeAssert.FailsAsync(wav, SongErrorCode.TooLong, o => o.MaxDuration = TimeSpan.FromSeconds(2));
    }

    [TestMethod]
    public Task Input_larger_than_the_byte_cap_fails_with_too_long()
    {
        byte[] wav = WavBytes.Encode(TestSignals.Silence(1, 22_050), 22_050);
        return DecodeAssert.FailsAsync(wav, SongErrorCode.TooLong, o => o.MaxInputBytes = 4096);
    }

    [TestMethod]
    public Task Thousands_of_tiny_chunks_fail_with_corrupt_audio()
    {
        var chunks = Enumerable.Range(0, 2000).Select(_ => ("JUNK", Array.Empty<byte>())).ToArray();
        return DecodeAssert.FailsAsync(WavBytes.Riff(chunks), SongErrorCode.CorruptAudio);
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public Task Non_finite_float_samples_fail_with_corrupt_audio(float poison)
    {
        float[] samples = TestSignals.Sine(440, 0.1, Rate);
        samples[100] = poison;
        return DecodeAssert.FailsAsync(WavBytes.Encode(samples, Rate, 1, WavEncoding.Float32), SongErrorCode.CorruptAudio);
    }

    [TestMethod]
    public async Task Every_single_byte_truncation_of_a_wav_gives_a_result_not_an_exception()
    {
        byte[] wav = WavBytes.Encode(TestSignals.Sine(440, 0.01, 8_000), 8_000);
        for (int length = 0; length < wav.Length; length++)
        {
            try
            {
                using var audio = await DecodeAssert.DecodeAsync(wav[..length], 8_000);
            }
            catch (SongFailureException)
            {
            }
        }
    }

    [TestMethod]
    public async Task Random_header_mutations_never_escape_as_other_exceptions()
    {
        byte[] original = WavBytes.Encode(TestSignals.Sine(440, 0.05, 8_000), 8_000, 2, WavEncoding.Pcm24, extensible: true);
        var random = new Random(1234);
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] mutated = (byte[])original.Clone();
            for (int flips = random.Next(1, 6); flips > 0; flips--)
            {
                mutated[random.Next(0, 80)] = (byte)random.Next(256);
            }

            try
            {
                using var audio = await DecodeAssert.DecodeAsync(mutated, 8_000, o => o.MaxDuration = TimeSpan.FromSeconds(10));
                Assert.IsTrue(audio.Length > 0);
            }
            catch (SongFailureException)
            {
            }
        }
    }
}
