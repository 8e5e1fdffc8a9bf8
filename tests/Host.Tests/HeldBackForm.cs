using System.Net;
using System.Text;

namespace MusicClassification.Host.Tests;

/// <summary>A multipart batch that sends its first song, then holds the rest back until <paramref name="release"/> completes.</summary>
internal sealed class HeldBackForm : HttpContent
{
    public const int Songs = 4;
    private const string Boundary = "held-back-boundary";
    private readonly Task _release;
    private readonly double _seconds;

    public HeldBackForm(Task release, double seconds = 0.5)
    {
        _release = release;
        _seconds = seconds;
        Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
    }

    public bool FirstPartSent { get; private set; }

    public bool Finished { get; private set; }

    /// <summary>Waits (bounded) until the first song has gone out, and a little longer for the server to take it in.</summary>
    public async Task FirstPartOnServerAsync()
    {
        for (int attempt = 0; attempt < 100 && !FirstPartSent; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.IsTrue(FirstPartSent, "the first song was sent within 5 s");
        await Task.Delay(300);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <summary>Sends the form; a cancelled request stops waiting at once (the client aborts mid-upload).</summary>
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (int i = 0; i < Songs; i++)
        {
            string head = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"song-{i}.wav\"\r\nContent-Type: application/octet-stream\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
            await stream.WriteAsync(BatchForms.Song(i, _seconds), cancellationToken);
            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            if (i == 0)
            {
                FirstPartSent = true;
                await _release.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"), cancellationToken);
        Finished = true;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
