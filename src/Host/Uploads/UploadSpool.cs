using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// The private folder where uploads wait while their songs are analysed, and the budget of bytes it may hold. Files are
/// named by the spool (never by a client), created 0600, deleted when their song has its result, and swept at start-up
/// after a crash. Reservations keep the bytes on disk under <see cref="HostLimitsOptions.MaxSpoolBytes"/>.
/// </summary>
internal sealed partial class UploadSpool(string directory, long capacity, ILogger<UploadSpool> logger) : IDisposable
{
    private FolderLock? _lock;

    private const int CopyBufferSize = 81920;
    private const string FilePrefix = "upload-";
    private long _bytesInUse;
    private TaskCompletionSource _room = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The spool of requests in progress (<c>/classify</c>, <c>/classify/batch</c>), from <see cref="HostLimitsOptions"/>.</summary>
    public UploadSpool(IOptions<HostLimitsOptions> options, ILogger<UploadSpool> logger)
        : this(options.Value.TempDirectory, options.Value.MaxSpoolBytes, logger)
    {
    }

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Gets the bytes of uploads on disk now.</summary>
    public long BytesInUse => Interlocked.Read(ref _bytesInUse);

    public long Capacity { get; } = capacity;

    /// <summary>Secures the folder and removes what a crashed run left in it. Called once at start-up; throws when the folder is unsafe.</summary>
    public void Prepare() => Prepare(sweep: true);

    /// <summary>Secures the folder; with <paramref name="sweep"/>, removes every upload file a crashed run left in it.</summary>
    public void Prepare(bool sweep)
    {
        PrivateDirectory.Ensure(Directory);
        if (!sweep)
        {
            return;
        }

        // Sweeping what another running host is uploading would break its songs: one host per spool.
        _lock ??= FolderLock.Take(Directory, "upload spool");

        int swept = 0;
        // Uploads, and the FFmpeg copies the pipeline makes here (Pipeline:Decoding:TempDirectory points at this folder).
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, FilePrefix + "*")
            .Concat(System.IO.Directory.EnumerateFiles(Directory, "mc-ffmpeg-*")))
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
    public Task<SpooledUpload> SpoolAsync(Stream body, long maxBytes, bool waitForRoom, CancellationToken cancellationToken) =>
        SpoolAsync(body, Path.Combine(Directory, $"{FilePrefix}{Guid.NewGuid():N}"), maxBytes, waitForRoom, cancellationToken);

    /// <summary>As <see cref="SpoolAsync(Stream, long, bool, CancellationToken)"/>, into <paramref name="path"/> (a name the caller made, inside this spool).</summary>
    public async Task<SpooledUpload> SpoolAsync(Stream body, string path, long maxBytes, bool waitForRoom, CancellationToken cancellationToken)
    {
        if (!Path.GetFullPath(path).StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("A spool file must lie inside the spool.", nameof(path));
        }

        var upload = new SpooledUpload(path, this);
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

    public void Dispose() => _lock?.Dispose();

    /// <summary>Counts files already on disk (a restart's queued uploads) against the capacity.</summary>
    public void Adopt(long bytes) => Interlocked.Add(ref _bytesInUse, bytes);

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
