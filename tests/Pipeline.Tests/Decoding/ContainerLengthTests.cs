using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Decoding;

/// <summary>A song's length read from its container's header, against files of known length made by FFmpeg's encoders.</summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class ContainerLengthTests
{
    // (what the file has, extension, encoder arguments, source rate, channels, tolerance in seconds)
    public static IEnumerable<object[]> Files() =>
    [
        ["MP3, Info header (constant bit rate)", "mp3", new[] { "-c:a", "libmp3lame", "-b:a", "192k" }, 44_100, 2, 0.06],
        ["MP3, Xing header (variable bit rate)", "mp3", new[] { "-c:a", "libmp3lame", "-q:a", "4" }, 44_100, 2, 0.06],
        ["MP3, MPEG-2 mono", "mp3", new[] { "-c:a", "libmp3lame", "-b:a", "64k" }, 22_050, 1, 0.06],
        ["MP3 without a header: bytes at the bit rate", "mp3", new[] { "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0" }, 44_100, 2, 0.1],
        ["MP3 with ID3v2 and ID3v1 tags", "mp3", new[] { "-c:a", "libmp3lame", "-b:a", "160k", "-metadata", "title=" + new string('x', 3000), "-id3v2_version", "3", "-write_id3v1", "1" }, 48_000, 2, 0.06],
        ["M4A (AAC), index at the start", "m4a", new[] { "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart" }, 44_100, 2, 0.05],
        ["M4A (AAC), index at the end", "m4a", new[] { "-c:a", "aac", "-b:a", "128k" }, 48_000, 1, 0.05],
        ["Ogg Vorbis", "ogg", new[] { "-c:a", "libvorbis", "-q:a", "4" }, 44_100, 2, 0.01],
        ["Ogg Opus", "opus", new[] { "-c:a", "libopus", "-b:a", "96k" }, 48_000, 2, 0.01],
    ];

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void Reads_the_length_of(string what, string extension, string[] codec, int rate, int channels, double tolerance)
    {
        const double Seconds = 37.3;
        float[] tone = TestSignals.Sine(440, Seconds, rate, 0.3);
        byte[] encoded = FfmpegEncoder.Encode(TestSignals.Interleave(Enumerable.Repeat(tone, channels).ToArray()), rate, channels, extension, codec);
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, encoded);
        try
        {
            double? seconds = ContainerLength.Read(AudioFormatSniffer.Sniff(encoded), path);

            Assert.IsNotNull(seconds, what);
            Assert.AreEqual(Seconds, seconds.Value, tolerance, what);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Gives_nothing_for_headers_that_do_not_hold()
    {
        var noise = new byte[20_000];
        new Random(5).NextBytes(noise);
        byte[] hugeTag = [.. "ID3"u8, 3, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F, .. new byte[100]];
        byte[] badTagSize = [.. "ID3"u8, 3, 0, 0, 0x80, 0, 0, 0, .. new byte[100]];
        byte[] endlessEmptyTags = [.. Enumerable.Repeat<byte[]>([.. "ID3"u8, 3, 0, 0, 0, 0, 0, 0], 100_000).SelectMany(tag => tag)];
        byte[] boxLargerThanFile = [0, 0, 0x10, 0, .. "ftyp"u8, .. new byte[100]];
        byte[] boxSmallerThanItsHeader = [0, 0, 0, 4, .. "ftyp"u8, .. new byte[100]];
        byte[] moovWithoutMvhd = [0, 0, 0, 16, .. "moov"u8, 0, 0, 0, 8, .. "free"u8];
        byte[] oggWithoutIdentification = [.. "OggS"u8, .. new byte[200]];

        Assert.IsNull(Mp3Duration.Read(new MemoryStream([])), "empty");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream([0xFF, 0xFB])), "a bare sync word");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream(noise.Select(b => (byte)(b & 0x7F)).ToArray())), "bytes without a sync word");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream(hugeTag)), "an ID3 tag larger than the file");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream(badTagSize)), "an ID3 size that is not syncsafe");
        Assert.IsNull(Mp3Duration.Read(new MemoryStream(endlessEmptyTags)), "a megabyte of empty ID3 tags");
        Assert.IsNull(Mp4Duration.Read(new MemoryStream(boxLargerThanFile)), "a box larger than the file");
        Assert.IsNull(Mp4Duration.Read(new MemoryStream(boxSmallerThanItsHeader)), "a box smaller than its header");
        Assert.IsNull(Mp4Duration.Read(new MemoryStream(moovWithoutMvhd)), "a movie without a header");
        Assert.IsNull(Mp4Duration.Read(new MemoryStream(noise)), "noise as MP4");
        Assert.IsNull(OggDuration.Read(new MemoryStream(oggWithoutIdentification)), "an Ogg page without a codec header");
        Assert.IsNull(OggDuration.Read(new MemoryStream(noise)), "noise as Ogg");
    }
}
