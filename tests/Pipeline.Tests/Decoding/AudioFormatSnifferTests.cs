using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Decoding;

[TestClass]
public sealed class AudioFormatSnifferTests
{
    [TestMethod]
    public void A_wav_is_recognised_from_its_bytes() =>
        Assert.AreEqual(AudioContainer.Wave, AudioFormatSniffer.Sniff(WavBytes.Encode(new float[10], 8000)));

    [TestMethod]
    [DataRow(new byte[] { 0x66, 0x4C, 0x61, 0x43, 0, 0, 0, 0x22 }, "Flac")]
    [DataRow(new byte[] { 0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0 }, "Mp3")]
    [DataRow(new byte[] { 0xFF, 0xFB, 0x90, 0x64 }, "Mp3")]
    [DataRow(new byte[] { 0xFF, 0xF1, 0x50, 0x80 }, "Aac")]
    [DataRow(new byte[] { 0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x4D, 0x34, 0x41, 0x20 }, "Mp4")]
    [DataRow(new byte[] { 0x1A, 0x45, 0xDF, 0xA3, 1, 0 }, "Matroska")]
    [DataRow(new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x41, 0x56, 0x49, 0x20 }, "Unknown")]
    [DataRow(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, "Unknown")]
    [DataRow(new byte[0], "Unknown")]
    public void Formats_are_recognised_from_their_signatures(byte[] header, string expected) =>
        Assert.AreEqual(Enum.Parse<AudioContainer>(expected), AudioFormatSniffer.Sniff(header));

    [TestMethod]
    [DataRow("\u0001vorbis", "OggVorbis")]
    [DataRow("OpusHead", "OggOpus")]
    [DataRow("\u007FFLAC", "OggFlac")]
    [DataRow("Speex   ", "Ogg")]
    public void Ogg_streams_are_told_apart_by_their_first_packet(string packet, string expected)
    {
        byte[] page = new byte[28 + packet.Length];
        "OggS"u8.CopyTo(page);
        page[26] = 1;
        page[27] = (byte)packet.Length;
        System.Text.Encoding.Latin1.GetBytes(packet).CopyTo(page, 28);

        Assert.AreEqual(Enum.Parse<AudioContainer>(expected), AudioFormatSniffer.Sniff(page));
    }
}
