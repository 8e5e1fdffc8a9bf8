using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// A file part's body, read-only, whose early end is the client's fault: the multipart parser's own
/// <see cref="IOException"/> ("unexpected end of stream", a form that stops inside a part although the request body is
/// complete) becomes an <see cref="InvalidUploadException"/> (400 <c>invalid_multipart</c>), so that part fails and the
/// songs before it keep their results. The server's failures (client gone, body limit) are subclasses and pass through;
/// a failure writing the spool never passes here, so it stays a server error.
/// </summary>
internal sealed class FormPartStream(Stream part) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await part.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException))
        {
            throw Ended(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return part.Read(buffer, offset, count);
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException))
        {
            throw Ended(ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static InvalidUploadException Ended(IOException ex) => new(
        HostProblems.InvalidMultipart("The form ended inside a file part, before that part's closing boundary: the part was cut off."), ex);
}
