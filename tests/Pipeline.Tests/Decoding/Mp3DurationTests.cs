using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Decoding;

/// <summary>The MP3 length read from the first frame, against MP3s of known length made by FFmpeg's LAME encoder.</summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class Mp3DurationTests
{
    // (what the file has, encoder arguments, source rate, channels, tolerance in seconds)
    public static IEnumerable<object[]> Files() =>
    [
        ["Info header (constant bit rate)", new[] { "-c:a", "libmp3lame", "-b:a", "192k" }, 44_100, 2, 0.06],
        ["Xing header (variable bit rate)", new[] { "-c:a", "libmp3lame", "-q:a", "4" }, 44_100, 2, 0.06],
        ["MPEG-2 mono, Info header", new[] { "-c:a", "libmp3lame", "-b:a", "64k" }, 22_050, 1, 0.06],
        ["no header: bytes at the bit rate", new[] { "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0" }, 44_100, 2, 0.1],
        ["ID3v2 and ID3v1 tags", new[] { "-c:a", "libmp3lame", "-b:a", "160k", "-metadata", "title=" + new string('x', 3000), "-id3v2_version", "3", "-write_id3v1", "1" }, 48_000, 2, 0.06],
    ];

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void Reads_the_length_of(string what, string[] codec, int rate, int channels, double tolerance)
    {
        const double Seconds = 37.3;
        float[] tone = TestSignals.Sine(440, Seconds, rate, 0.3);
        byte[] mp3 = FfmpegEncoder.Encode(TestSignals.Interleave(Enumerable.Repeat(tone, channels).ToArray()), rate, channels, "mp3", codec);

        double? seconds = Mp3Duration.Read(new MemoryStream(mp3));

        Assert.IsNotNull(seconds, what);
        Assert.AreEqual(Seconds, seconds.Value, tolerance, what);
    }

    [TestMethod]
    public void Gives_nothing_for_what_is_not_an_mp3()
    {
        var noise = new byte[20_000];
        new Random(5).NextBytes(noise);
        byte[] hugeTag = [.. "ID3"u8, 3, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F, .. new byte[100]];
        byte[] badTagSize = [.. "ID3"u8, 3, 0, 0, 0x80, 0, 0, 0, .. new byte[100]];

        Assert.IsNull(Mp3Duration.Read(new MemoryStream([])), "empty");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream([0xFF, 0xFB])), "a bare sync word");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream(noise.Select(b => (byte)(b & 0x7F)).ToArray())), "bytes without a sync word");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream(hugeTag)), "an ID3 tag larger than the file");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream(badTagSize)), "an ID3 size that is not syncsafe");
    }
}
