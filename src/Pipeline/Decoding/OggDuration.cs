using System.Buffers.Binary;

namespace MusicClassification.Decoding;

/// <summary>
/// An Ogg Vorbis or Opus file's length from the granule position of its last page (the stream's final sample count),
/// over the sample rate of its identification header (Vorbis) or 48 kHz less the pre-skip (Opus). Null for chained or
/// multiplexed streams and anything that does not read cleanly: the caller then decodes from the start.
/// </summary>
internal static class OggDuration
{
    /// <summary>How far from the end the last page is looked for (a page is at most 65 307 bytes).</summary>
    private const int TailBytes = 70 * 1024;

    private const int PageHeaderBytes = 27;

    /// <summary>The length in seconds of the Ogg Vorbis or Opus stream in <paramref name="file"/> (seekable), or null.</summary>
    public static double? Read(Stream file)
    {
        // The first page holds the identification header: "OggS" … 27 + segment table, then the packet.
        Span<byte> first = stackalloc byte[PageHeaderBytes + 255 + 32];
        int read = StreamRead.At(file, 0, first);
        if (read < PageHeaderBytes || !first[..4].SequenceEqual("OggS"u8))
        {
            return null;
        }

        uint serial = BinaryPrimitives.ReadUInt32LittleEndian(first[14..]);
        int packet = PageHeaderBytes + first[26];
        if (read < packet + 19)
        {
            return null;
        }

        ReadOnlySpan<byte> identification = first[packet..read];
        double rate = 0;
        long preSkip = 0;
        if (identification[..7].SequenceEqual("\u0001vorbis"u8))
        {
            rate = BinaryPrimitives.ReadUInt32LittleEndian(identification[12..]);
        }
        else if (identification[..8].SequenceEqual("OpusHead"u8))
        {
            (rate, preSkip) = (48_000, BinaryPrimitives.ReadUInt16LittleEndian(identification[10..]));
        }

        if (rate <= 0)
        {
            return null;
        }

        long start = Math.Max(0, file.Length - TailBytes);
        byte[] tail = new byte[(int)(file.Length - start)];
        int tailLength = StreamRead.At(file, start, tail);
        for (int at = tailLength - PageHeaderBytes; at >= 0; at--)
        {
            if (tail.AsSpan(at, 4).SequenceEqual("OggS"u8) && tail[at + 4] == 0)
            {
                long granule = BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(at + 6));
                if (granule == -1)
                {
                    continue; // a page on which no packet ends
                }

                bool sameStream = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 14)) == serial;
                double seconds = (granule - preSkip) / rate;
                return sameStream && seconds > 0 ? seconds : null;
            }
        }

        return null;
    }
}
