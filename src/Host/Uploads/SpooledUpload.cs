namespace MusicClassification.Host.Uploads;

/// <summary>One upload on disk in the spool; disposing it deletes the file and gives its bytes back to the spool's budget.</summary>
internal sealed class SpooledUpload(string path, UploadSpool spool) : IDisposable
{
    private long _reserved;
    private int _disposed;

    public string Path { get; } = path;

    public long Length { get; private set; }

    public void Added(long bytes)
    {
        _reserved += bytes;
        Length += bytes;
    }

    /// <summary>Keeps the file on disk after disposal (a durable job's song); its bytes stay counted until <see cref="UploadSpool.Release"/>.</summary>
    public void Keep() => Interlocked.Exchange(ref _disposed, 1);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Still open somewhere (an abandoned decode): the next start-up sweep removes it.
        }
        catch (UnauthorizedAccessException)
        {
        }

        spool.Release(_reserved);
    }
}
