using System.Buffers.Binary;

namespace MusicClassification.Decoding;

/// <summary>Recognises a song's format from its first bytes; the file name is never consulted.</summary>
internal static class AudioFormatSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> wants to see (fewer is fine for short inputs).</summary>
    public const int HeaderLength = 64;

    public static AudioContainer Sniff(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 12 && header[8..12].SequenceEqual("WAVE"u8))
        {
            if (header.StartsWith("RIFF"u8))
            {
                return AudioContainer.Wave;
            }

            if (header.StartsWith("RF64"u8) || header.StartsWith("BW64"u8))
            {
                return AudioContainer.Rf64;
            }
        }

        if (header.Length >= 12 && header.StartsWith("FORM"u8) && (header[8..12].SequenceEqual("AIFF"u8) || header[8..12].SequenceEqual("AIFC"u8)))
        {
            return AudioContainer.Aiff;
        }

        if (header.StartsWith("fLaC"u8))
        {
            return AudioContainer.Flac;
        }

        if (header.StartsWith("OggS"u8))
        {
            return SniffOgg(header);
        }

        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            return AudioContainer.Mp4;
        }

        if (header.StartsWith("ID3"u8))
        {
            // An ID3v2 tag can precede MP3, AAC (ADTS) or even FLAC; FFmpeg probes past it.
            return AudioContainer.Mp3;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return AudioContainer.Matroska;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]))
        {
            return AudioContainer.Asf;
        }

        if (header.Length >= 2 && header[0] == 0xFF)
        {
            // ADTS AAC: sync 0xFFF with layer bits 00; MPEG audio: sync 0xFFE with a non-reserved layer.
            if ((header[1] & 0xF6) == 0xF0)
            {
                return AudioContainer.Aac;
            }

            if ((header[1] & 0xE0) == 0xE0 && (header[1] & 0x06) != 0 && IsPlausibleMpegFrame(header))
            {
                return AudioContainer.Mp3;
            }
        }

        return AudioContainer.Unknown;
    }

    public static string Describe(AudioContainer container) => container switch
    {
        AudioContainer.Wave => "wav",
        AudioContainer.Rf64 => "rf64",
        AudioContainer.Mp3 => "mp3",
        AudioContainer.Mp4 => "mp4",
        AudioContainer.Flac => "flac",
        AudioContainer.OggVorbis => "ogg/vorbis",
        AudioContainer.OggOpus => "ogg/opus",
        AudioContainer.OggFlac => "ogg/flac",
        AudioContainer.Ogg => "ogg",
        AudioContainer.Aac => "aac",
        AudioContainer.Aiff => "aiff",
        AudioContainer.Matroska => "matroska",
        AudioContainer.Asf => "asf",
        _ => "unknown",
    };

    private static AudioContainer SniffOgg(ReadOnlySpan<byte> header)
    {
        // The first page's first packet starts after the 27-byte header and the segment table.
        if (header.Length < 28)
        {
            return AudioContainer.Ogg;
        }

        int packetStart = 27 + header[26];
        if (header.Length <= packetStart)
        {
            return AudioContainer.Ogg;
        }

        ReadOnlySpan<byte> packet = header[packetStart..];
        if (packet.StartsWith("\u0001vorbis"u8))
        {
            return AudioContainer.OggVorbis;
        }

        if (packet.StartsWith("OpusHead"u8))
        {
            return AudioContainer.OggOpus;
        }

        if (packet.StartsWith("\u007FFLAC"u8))
        {
            return AudioContainer.OggFlac;
        }

        return AudioContainer.Ogg;
    }

    private static bool IsPlausibleMpegFrame(ReadOnlySpan<byte> header)
    {
        if (header.Length < 4)
        {
            return false;
        }

        uint frame = BinaryPrimitives.ReadUInt32BigEndian(header);
        uint bitrateIndex = (frame >> 12) & 0xF;
        uint sampleRateIndex = (frame >> 10) & 0x3;
        return bitrateIndex != 0xF && sampleRateIndex != 0x3;
    }
}
