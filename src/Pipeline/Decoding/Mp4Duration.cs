using System.Buffers.Binary;

namespace MusicClassification.Decoding;

/// <summary>
/// An MP4 (M4A) file's length from its movie header (<c>moov/mvhd</c>: duration over time scale), found by walking the
/// top-level boxes wherever <c>moov</c> sits. Null for anything unusual (fragmented files, unknown durations, broken
/// box sizes): the caller then decodes from the start. Reads a few dozen bytes; trusts no size it has not checked.
/// </summary>
internal static class Mp4Duration
{
    /// <summary>A bound on the boxes walked, so a file of tiny boxes cannot keep the walk busy.</summary>
    private const int MaxBoxes = 4096;

    /// <summary>The length in seconds of the MP4 in <paramref name="file"/> (seekable), or null.</summary>
    public static double? Read(Stream file) =>
        FindBox(file, 0, file.Length, "moov"u8) is (long moovStart, long moovEnd)
        && FindBox(file, moovStart, moovEnd, "mvhd"u8) is (long mvhdStart, long mvhdEnd)
            ? MovieLength(file, mvhdStart, mvhdEnd)
            : null;

    /// <summary>The content range of the first box of <paramref name="type"/> among the boxes in [start, end).</summary>
    private static (long Start, long End)? FindBox(Stream file, long start, long end, ReadOnlySpan<byte> type)
    {
        Span<byte> header = stackalloc byte[16];
        long at = start;
        for (int boxes = 0; boxes < MaxBoxes && at + 8 <= end; boxes++)
        {
            if (StreamRead.At(file, at, header[..8]) < 8)
            {
                return null;
            }

            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            int headerLength = 8;
            if (size == 1)
            {
                if (StreamRead.At(file, at, header) < 16)
                {
                    return null;
                }

                size = BinaryPrimitives.ReadInt64BigEndian(header[8..]);
                headerLength = 16;
            }
            else if (size == 0)
            {
                size = end - at;
            }

            if (size < headerLength || size > end - at)
            {
                return null;
            }

            if (header.Slice(4, 4).SequenceEqual(type))
            {
                return (at + headerLength, at + size);
            }

            at += size;
        }

        return null;
    }

    private static double? MovieLength(Stream file, long start, long end)
    {
        Span<byte> body = stackalloc byte[32];
        int read = StreamRead.At(file, start, body[..(int)Math.Min(body.Length, end - start)]);
        if (read < 20)
        {
            return null;
        }

        // Version 0: created, modified (4 bytes each), time scale, duration (4); version 1: 8, 8, 4, 8.
        (long scale, long duration) = body[0] == 1 && read >= 32
            ? (BinaryPrimitives.ReadUInt32BigEndian(body[20..]), BinaryPrimitives.ReadInt64BigEndian(body[24..]))
            : body[0] == 0 ? (BinaryPrimitives.ReadUInt32BigEndian(body[12..]), BinaryPrimitives.ReadUInt32BigEndian(body[16..])) : (0, 0);
        return scale > 0 && duration > 0 && duration != uint.MaxValue && duration != long.MaxValue ? (double)duration / scale : null;
    }
}
