using System.Net;
using System.Text;

namespace LibraryUploader;

/// <summary>A multipart form of songs streamed from their files, each opened only when its turn comes.</summary>
internal sealed class FolderForm : HttpContent
{
    private readonly string _boundary = "library-" + Guid.NewGuid().ToString("N");
    private readonly IReadOnlyList<string> _files;

    public FolderForm(IReadOnlyList<string> files)
    {
        _files = files;
        Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={_boundary}");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        foreach (string file in _files)
        {
            // The service uses the file name only as the song's id; quotes and line breaks would break the header.
            string name = Path.GetFileName(file).Replace("\"", "'", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
            string head = $"--{_boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(head), cancellationToken);
            FileStream song = File.OpenRead(file);
            await using (song)
            {
                await song.CopyToAsync(stream, cancellationToken);
            }

            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{_boundary}--\r\n"), cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
