using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Decoding;

/// <summary>Broken and hostile compressed files: each gives one clear outcome, quickly.</summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class FfmpegHostileInputTests
{
    private const int Rate = 44_100;
    private static readonly Lazy<byte[]> Mp3 = new(() =>
        FfmpegEncoder.Encode(TestSignals.Sine(1000, 10, Rate, 0.5), Rate, 1, "mp3", "-c:a", "libmp3lame", "-b:a", "128k"));

    [TestMethod]
    [DataRow(0.5)]
    [DataRow(0.1)]
    public async Task A_truncated_mp3_decodes_the_audio_that_is_there(double kept)
    {
        byte[] truncated = Mp3.Value[..(int)(Mp3.Value.Length * kept)];

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(truncated, 22_050);

        // The Xing header still claims 10 s; the reported length is what was really decoded.
        Assert.AreEqual(10 * kept, audio.DurationSeconds, 0.15);
        Assert.AreEqual(10 * kept, audio.Source.DurationSeconds!.Value, 0.15);
    }

    [TestMethod]
    public async Task A_truncated_mp3_whose_header_claims_more_is_analysed_in_the_middle_of_what_is_there()
    {
        // 60 s encoded, 12 s kept: the Xing header still claims 60 s, so a 20 s middle window would start at 20 s, past the
        // end. The window is placed on the 12 s that are there: all of it, since it is shorter than the window.
        byte[] mp3 = FfmpegEncoder.Encode(TestSignals.Sine(1000, 60, Rate, 0.5), Rate, 1, "mp3", "-c:a", "libmp3lame", "-b:a", "128k");
        byte[] truncated = mp3[..(mp3.Length / 5)];

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(truncated, 22_050, o => o.WindowLength = TimeSpan.FromSeconds(20));

        Assert.AreEqual(12, audio.DurationSeconds, 0.15);
        Assert.AreEqual(12, audio.Source.DurationSeconds!.Value, 0.15);
        Assert.AreEqual(0, audio.Source.WindowStartSeconds, 1e-9);
        Assert.AreEqual(1000, Spectrum.DominantFrequency(audio.Samples, 22_050, 22_050), Spectrum.BinWidth(22_050));
    }

    [TestMethod]
    public async Task A_truncated_mp3_longer_than_the_window_is_analysed_around_the_middle_of_its_real_length()
    {
        // 60 s encoded, 30 s kept, 10 s window: centred on the 30 s present (from 10 s), not on the 60 s claimed (from 25 s).
        byte[] mp3 = FfmpegEncoder.Encode(TestSignals.Sine(1000, 60, Rate, 0.5), Rate, 1, "mp3", "-c:a", "libmp3lame", "-b:a", "128k");
        byte[] truncated = mp3[..(mp3.Length / 2)];

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(truncated, 22_050, o => o.WindowLength = TimeSpan.FromSeconds(10));

        Assert.AreEqual(10, audio.DurationSeconds, 0.05);
        Assert.AreEqual(10, audio.Source.WindowStartSeconds, 0.1);
    }

    [TestMethod]
    public async Task Failure_messages_name_no_temporary_path_and_no_ffmpeg_output()
    {
        // Garbage behind an MP3 frame header goes through FFmpeg (and, for the middle window, a temporary file).
        byte[] garbage = new byte[64 * 1024];
        new Random(9).NextBytes(garbage);
        byte[] fake = [.. Mp3.Value.AsSpan(0, 4), .. garbage];

        var failure = await Assert.ThrowsExactlyAsync<SongFailureException>(async () =>
        {
            using DecodedAudio audio = await DecodeAssert.DecodeAsync(fake, 22_050);
        });

        Assert.DoesNotContain("tmp", failure.Message, failure.Message);
        Assert.DoesNotContain("mc-ffmpeg", failure.Message, failure.Message);
        Assert.DoesNotContain("0x", failure.Message, failure.Message);
        Assert.DoesNotContain("@", failure.Message, failure.Message);
    }

    [TestMethod]
    public async Task An_mp3_with_a_corrupted_middle_still_decodes_around_the_damage()
    {
        byte[] damaged = (byte[])Mp3.Value.Clone();
        new Random(5).NextBytes(damaged.AsSpan(damaged.Length * 2 / 5, damaged.Length / 5));

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(damaged, 22_050);

        // The damaged fifth is dropped by the decoder's resync; the rest is there.
        Assert.IsTrue(audio.DurationSeconds is > 7 and < 10.1, $"decoded {audio.DurationSeconds} s");
        Assert.AreEqual(1000, Spectrum.DominantFrequency(audio.Samples, 22_050, 22_050), Spectrum.BinWidth(22_050));
    }

    [TestMethod]
    public async Task An_ogg_with_a_damaged_page_decodes_the_rest()
    {
        byte[] ogg = FfmpegEncoder.Encode(TestSignals.Sine(1000, 10, Rate, 0.5), Rate, 1, "ogg", "-c:a", "libvorbis");
        int page = ogg.AsSpan(ogg.Length / 2).IndexOf("OggS"u8) + (ogg.Length / 2);
        ogg[page + 30] ^= 0x5A;

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(ogg, 22_050);

        Assert.IsTrue(audio.DurationSeconds is > 8 and < 10.1, $"decoded {audio.DurationSeconds} s");
    }

    [TestMethod]
    public async Task An_m4a_without_its_index_fails_with_corrupt_audio()
    {
        // An interrupted recording: the file ends where its moov (index) atom should begin.
        byte[] m4a = FfmpegEncoder.Encode(TestSignals.Sine(1000, 3, Rate, 0.5), Rate, 1, "m4a", "-c:a", "aac");
        int moov = m4a.AsSpan().IndexOf("moov"u8);

        SongFailureException failure = await DecodeAssert.FailsAsync(m4a[..(moov - 4)], SongErrorCode.CorruptAudio);

        StringAssert.Contains(failure.Message, "mp4 song could not be decoded");
        Assert.IsFalse(string.IsNullOrEmpty(failure.Detail), "FFmpeg's own words are kept for the log");
    }

    [TestMethod]
    public async Task A_huge_id3_tag_in_front_of_an_mp3_is_skipped()
    {
        const int TagSize = 3 * 1024 * 1024;
        byte[] tagged = new byte[10 + TagSize + Mp3.Value.Length];
        "ID3"u8.CopyTo(tagged);
        tagged[3] = 4;
        for (int i = 0; i < 4; i++)
        {
            tagged[6 + i] = (byte)((TagSize >> (7 * (3 - i))) & 0x7F);
        }

        Mp3.Value.CopyTo(tagged, 10 + TagSize);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(tagged, 22_050);

        Assert.AreEqual(10, audio.DurationSeconds, 0.1);
    }

    [TestMethod]
    public async Task A_long_silent_opus_bomb_stops_at_the_duration_cap_with_too_long()
    {
        // 200 KB that decode to five minutes: with a one-minute cap it must stop early, not decode it all.
        byte[] bomb = FfmpegEncoder.EncodeLavfi("anullsrc=r=48000:cl=mono", "opus", "-t", "300", "-c:a", "libopus", "-b:a", "6k");

        SongFailureException failure = await DecodeAssert.FailsAsync(bomb, SongErrorCode.TooLong, o =>
        {
            o.MaxDuration = TimeSpan.FromMinutes(1);
            o.Window = AnalysisWindow.WholeTrack;
        });

        StringAssert.Contains(failure.Message, "maximum");
    }

    [TestMethod]
    public Task A_declared_length_over_the_cap_fails_before_decoding() =>
        DecodeAssert.FailsAsync(
            FfmpegEncoder.EncodeLavfi("anullsrc=r=8000:cl=mono", "flac", "-t", "400", "-c:a", "flac"),
            SongErrorCode.TooLong,
            o => o.MaxDuration = TimeSpan.FromMinutes(1));

    [TestMethod]
    public Task An_ogg_stream_of_garbage_fails_with_corrupt_audio()
    {
        byte[] junk = new byte[8192];
        new Random(9).NextBytes(junk);
        "OggS"u8.CopyTo(junk);
        return DecodeAssert.FailsAsync(junk, SongErrorCode.CorruptAudio);
    }

    [TestMethod]
    public Task An_mp3_frame_header_followed_by_garbage_fails_with_corrupt_audio()
    {
        byte[] junk = new byte[4096];
        new Random(11).NextBytes(junk);
        junk[0] = 0xFF;
        junk[1] = 0xFB;
        junk[2] = 0x90;
        junk[3] = 0x64;
        return DecodeAssert.FailsAsync(junk, SongErrorCode.CorruptAudio);
    }
}
