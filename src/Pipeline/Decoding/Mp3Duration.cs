using System.Buffers.Binary;

namespace MusicClassification.Decoding;

/// <summary>
/// An MP3 file's length read the way FFmpeg's demuxer reads it, from its first frame: the frame count of a Xing, Info
/// or VBRI header when there is one, otherwise the audio bytes at the first frame's bit rate. Lets the decoder start
/// FFmpeg at the middle window instead of decoding the song's first part only to discard it. Any doubt gives null (the
/// caller then decodes from the start); nothing read is trusted beyond the bounds checked here.
/// </summary>
internal static class Mp3Duration
{
    /// <summary>How far past the ID3v2 tag the first frame is looked for, and how much is read for it.</summary>
    private const int SearchBytes = 16 * 1024;

    /// <summary>How many ID3v2 tags in a row are read past before the file is taken as not worth the doubt.</summary>
    private const int MaxTags = 8;

    private static readonly int[] Mpeg1Layer3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] Mpeg1Layer2 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384];
    private static readonly int[] Mpeg1Layer1 = [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448];
    private static readonly int[] Mpeg2Layer1 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256];
    private static readonly int[] Mpeg2Layer23 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

    /// <summary>The length in seconds of the MP3 in <paramref name="file"/> (seekable), or null.</summary>
    public static double? Read(Stream file)
    {
        long length = file.Length;
        Span<byte> header = stackalloc byte[10];
        long audioStart = 0;

        // ID3v2 tags (several may follow each other) come before the audio; their size is a 28-bit "syncsafe" integer.
        // A file of empty tag after empty tag would be walked ten bytes at a time: past a few, it is not an ordinary MP3.
        int tags = 0;
        while (StreamRead.At(file, audioStart, header) == header.Length && header[..3].SequenceEqual("ID3"u8))
        {
            if (++tags > MaxTags)
            {
                return null;
            }

            if (((header[6] | header[7] | header[8] | header[9]) & 0x80) != 0)
            {
                return null;
            }

            int size = (header[6] << 21) | (header[7] << 14) | (header[8] << 7) | header[9];
            audioStart += 10 + size + ((header[5] & 0x10) != 0 ? 10 : 0);
        }

        byte[] buffer = new byte[SearchBytes];
        int read = StreamRead.At(file, audioStart, buffer);
        for (int at = 0; at + 4 <= read; at++)
        {
            if (Frame.Parse(buffer.AsSpan(at)) is not { } frame)
            {
                continue;
            }

            // A real first frame is followed by another (or is followed by the end): a stray sync word is not.
            int next = at + frame.Length;
            if (next + 4 <= read && Frame.Parse(buffer.AsSpan(next)) is null)
            {
                continue;
            }

            long end = length;
            Span<byte> tag = stackalloc byte[3];
            if (length >= 128 && StreamRead.At(file, length - 128, tag) == 3 && tag.SequenceEqual("TAG"u8))
            {
                end -= 128;
            }

            long? frames = VbrFrames(buffer.AsSpan(at, Math.Min(read - at, frame.Length)), frame);
            double seconds = frames is long count
                ? (double)count * frame.SamplesPerFrame / frame.SampleRate
                : (end - (audioStart + at)) * 8.0 / (frame.Kbps * 1000.0);
            return seconds > 0 ? seconds : null;
        }

        return null;
    }

    /// <summary>The frame count of a Xing/Info or VBRI header in the first frame, if it has one.</summary>
    private static long? VbrFrames(ReadOnlySpan<byte> first, Frame frame)
    {
        int sideInfo = frame.Mpeg1 ? (frame.Mono ? 17 : 32) : (frame.Mono ? 9 : 17);
        int xing = 4 + sideInfo;
        if (frame.Layer == 3 && first.Length >= xing + 12 && (first.Slice(xing, 4).SequenceEqual("Xing"u8) || first.Slice(xing, 4).SequenceEqual("Info"u8)))
        {
            uint flags = BinaryPrimitives.ReadUInt32BigEndian(first[(xing + 4)..]);
            return (flags & 1) != 0 ? BinaryPrimitives.ReadUInt32BigEndian(first[(xing + 8)..]) : null;
        }

        const int Vbri = 4 + 32;
        if (first.Length >= Vbri + 18 && first.Slice(Vbri, 4).SequenceEqual("VBRI"u8))
        {
            return BinaryPrimitives.ReadUInt32BigEndian(first[(Vbri + 14)..]);
        }

        return null;
    }

    /// <summary>One MPEG audio frame header.</summary>
    private readonly record struct Frame(bool Mpeg1, int Layer, int Kbps, int SampleRate, bool Mono, int Length, int SamplesPerFrame)
    {
        public static Frame? Parse(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length < 4 || bytes[0] != 0xFF || (bytes[1] & 0xE0) != 0xE0)
            {
                return null;
            }

            int version = (bytes[1] >> 3) & 3; // 0: MPEG 2.5, 2: MPEG 2, 3: MPEG 1
            int layer = 4 - ((bytes[1] >> 1) & 3);
            int bitrateIndex = bytes[2] >> 4;
            int rateIndex = (bytes[2] >> 2) & 3;
            if (version == 1 || layer == 4 || bitrateIndex is 0 or 15 || rateIndex == 3)
            {
                return null;
            }

            bool mpeg1 = version == 3;
            int kbps = (mpeg1, layer) switch
            {
                (true, 1) => Mpeg1Layer1[bitrateIndex],
                (true, 2) => Mpeg1Layer2[bitrateIndex],
                (true, _) => Mpeg1Layer3[bitrateIndex],
                (false, 1) => Mpeg2Layer1[bitrateIndex],
                _ => Mpeg2Layer23[bitrateIndex],
            };
            int rate = (rateIndex switch { 0 => 44_100, 1 => 48_000, _ => 32_000 }) >> (mpeg1 ? 0 : version == 2 ? 1 : 2);
            int padding = (bytes[2] >> 1) & 1;
            int samples = layer == 1 ? 384 : layer == 2 || mpeg1 ? 1152 : 576;
            int frameLength = layer == 1 ? ((12 * kbps * 1000 / rate) + padding) * 4 : (samples / 8 * kbps * 1000 / rate) + padding;
            return new Frame(mpeg1, layer, kbps, rate, (bytes[3] >> 6) == 3, frameLength, samples);
        }
    }
}
