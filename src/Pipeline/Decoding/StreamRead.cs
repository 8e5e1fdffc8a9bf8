namespace MusicClassification.Decoding;

/// <summary>Positioned reads of a seekable stream for the container headers read before decoding.</summary>
internal static class StreamRead
{
    /// <summary>Reads up to <paramref name="destination"/>'s length from <paramref name="offset"/>; returns how many bytes there were.</summary>
    public static int At(Stream file, long offset, Span<byte> destination)
    {
        if (offset < 0 || offset >= file.Length)
        {
            return 0;
        }

        file.Position = offset;
        int total = 0;
        int read;
        while (total < destination.Length && (read = file.Read(destination[total..])) > 0)
        {
            total += read;
        }

        return total;
    }
}
