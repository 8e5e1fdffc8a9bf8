using System.Net;
using System.Text;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>A multipart batch streamed from files, each opened only when its turn comes (a phone's library is never held in memory).</summary>
internal sealed class FilesForm : HttpContent
{
    private const string Boundary = "mc-load-run-boundary";
    private readonly IReadOnlyList<string> _files;

    public FilesForm(IReadOnlyList<string> files)
    {
        _files = files;
        Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (int i = 0; i < _files.Count; i++)
        {
            string head = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"song-{i:D4}{Path.GetExtension(_files[i])}\"\r\nContent-Type: application/octet-stream\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await using (FileStream file = File.OpenRead(_files[i]))
            {
                await file.CopyToAsync(stream);
            }

            await stream.WriteAsync("\r\n"u8.ToArray());
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
