using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Uploads;

/// <summary>Streams request bodies to private temporary files with a size cap, so uploads are never held whole in memory.</summary>
internal sealed class UploadSpooler(IOptions<HostLimitsOptions> limits)
{
    private const int CopyBufferSize = 81920;

    /// <summary>Copies <paramref name="body"/> to a new temporary file. The caller disposes the returned file, which deletes it.</summary>
    /// <exception cref="UploadTooLargeException">The body is larger than the configured limit.</exception>
    public async Task<SpooledUpload> SpoolAsync(Stream body, CancellationToken cancellationToken)
    {
        HostLimitsOptions options = limits.Value;
        Directory.CreateDirectory(options.TempDirectory);
        string path = Path.Combine(options.TempDirectory, $"upload-{Guid.NewGuid():N}.bin");
        var upload = new SpooledUpload(path);
        try
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                byte[] buffer = new byte[CopyBufferSize];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > options.MaxUploadBytes)
                    {
                        throw new UploadTooLargeException(options.MaxUploadBytes);
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                upload.Length = total;
            }

            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }
}
