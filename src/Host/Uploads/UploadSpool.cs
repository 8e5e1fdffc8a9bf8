using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// The private folder where uploads wait while their songs are analysed, and the budget of bytes it may hold. Files are
/// named by the spool (never by a client), created 0600, deleted when their song has its result, and swept at start-up
/// after a crash. Reservations keep the bytes on disk under <see cref="HostLimitsOptions.MaxSpoolBytes"/>.
/// </summary>
internal sealed partial class UploadSpool(IOptions<HostLimitsOptions> options, ILogger<UploadSpool> logger)
{
    private const int CopyBufferSize = 81920;
    private const string FilePrefix = "upload-";
    private readonly HostLimitsOptions _limits = options.Value;
    private long _bytesInUse;
    private TaskCompletionSource _room = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Directory => _limits.TempDirectory;

    /// <summary>Gets the bytes of uploads on disk now.</summary>
    public long BytesInUse => Interlocked.Read(ref _bytesInUse);

    public long Capacity => _limits.MaxSpoolBytes;

    /// <summary>Secures the folder and removes what a crashed run left in it. Called once at start-up; throws when the folder is unsafe.</summary>
    public void Prepare()
    {
        PrivateDirectory.Ensure(Directory);
        int swept = 0;
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, FilePrefix + "*"))
        {
            try
            {
                File.Delete(file);
                swept++;
            }
            catch (IOException)
            {
            }
        }

        if (swept > 0)
        {
            LogSwept(logger, swept, Directory);
        }
    }

    /// <summary>True when <paramref name="bytes"/> more would still fit; for refusing a request before reading it.</summary>
    public bool HasRoomFor(long bytes) => BytesInUse + bytes <= Capacity;

    /// <summary>
    /// Copies <paramref name="body"/> into a new spool file of at most <paramref name="maxBytes"/>. When the spool is full,
    /// waits for room if <paramref name="waitForRoom"/>, else throws <see cref="SpoolFullException"/>.
    /// </summary>
    /// <exception cref="UploadTooLargeException">The body is larger than <paramref name="maxBytes"/>.</exception>
    public async Task<SpooledUpload> SpoolAsync(Stream body, long maxBytes, bool waitForRoom, CancellationToken cancellationToken)
    {
        var upload = new SpooledUpload(Path.Combine(Directory, $"{FilePrefix}{Guid.NewGuid():N}"), this);
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var file = new FileStream(upload.Path, fileOptions);
            await using (file.ConfigureAwait(false))
            {
                byte[] buffer = new byte[CopyBufferSize];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (upload.Length + read > maxBytes)
                    {
                        throw new UploadTooLargeException(maxBytes);
                    }

                    if (!TryReserve(read))
                    {
                        if (!waitForRoom)
                        {
                            throw new SpoolFullException();
                        }

                        await ReserveAsync(read, cancellationToken).ConfigureAwait(false);
                    }

                    upload.Added(read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    public void Release(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        Interlocked.Add(ref _bytesInUse, -bytes);
        Interlocked.Exchange(ref _room, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private bool TryReserve(long bytes)
    {
        long current = Interlocked.Read(ref _bytesInUse);
        while (current + bytes <= Capacity)
        {
            long seen = Interlocked.CompareExchange(ref _bytesInUse, current + bytes, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    private async Task ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room = Volatile.Read(ref _room).Task;
            if (TryReserve(bytes))
            {
                return;
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Removed {Count} upload files left in {Directory} by an earlier run")]
    private static partial void LogSwept(ILogger logger, int count, string directory);
}
