using System.Net.Sockets;
using System.Text;

namespace MusicClassification.Host.Tests;

/// <summary>Bytes on a socket, for what HttpClient will not do: half-sent bodies, declared lengths that never come, raw headers.</summary>
internal static class RawHttp
{
    public const string Boundary = "raw-boundary";

    public static byte[] Part(int index) =>
    [
        .. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"song-{index}.wav\"\r\n\r\n"),
        .. BatchForms.Song(index),
        .. "\r\n"u8,
    ];

    /// <summary>Sends only a request's head (no body) and returns the answer up to the end of its JSON body.</summary>
    public static async Task<string> HeadOnlyAsync(Uri address, string head)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        using NetworkStream stream = tcp.GetStream();
        await WriteAsync(stream, head);
        return await ReadUntilAsync(stream, "}", TimeSpan.FromSeconds(30));
    }

    public static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public static async Task WriteChunkAsync(NetworkStream stream, byte[] data)
    {
        await WriteAsync(stream, $"{data.Length:X}\r\n");
        await stream.WriteAsync(data);
        await WriteAsync(stream, "\r\n");
        await stream.FlushAsync();
    }

    /// <summary>Reads until <paramref name="marker"/> has arrived (bounded in time); returns what was read.</summary>
    public static async Task<string> ReadUntilAsync(NetworkStream stream, string marker, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        var text = new StringBuilder();
        byte[] buffer = new byte[8192];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, deadline.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    public static Task<string> ReadToEndAsync(NetworkStream stream, TimeSpan limit) => ReadUntilAsync(stream, "\0never\0", limit);

    public static int Count(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
