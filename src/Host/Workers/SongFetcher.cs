using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Scaling;
using MusicClassification.Host.Transport;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Workers;

/// <summary>
/// The worker side of songs too large to ride in a message: fetches the song from the API node that holds it into
/// this worker's private spool, checking its SHA-256 (and never taking more than <see cref="HostLimitsOptions.MaxUploadBytes"/>)
/// as it arrives. A node that is unreachable, or a transfer cut short or damaged, is tried again every second for up to
/// <see cref="BrokerOptions.FetchPatience"/>; then the song goes back to the queue. A song the node no longer has (its
/// job deleted, its file lost) is the service's loss.
/// </summary>
internal sealed partial class SongFetcher(
    HttpClient http, UploadSpool spool, IOptions<BrokerOptions> broker, IOptions<HostLimitsOptions> limits, TimeProvider time, ILogger<SongFetcher> logger)
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    /// <summary>The song, in a temporary file deleted with the returned value; null when the node no longer has it.</summary>
    /// <exception cref="TransportException">The song could not be fetched within the patience allowed.</exception>
    public async Task<OpenedSong?> FetchAsync(SongAddress song, CancellationToken cancellationToken)
    {
        DateTimeOffset giveUp = time.GetUtcNow() + broker.Value.FetchPatience;
        var source = new Uri($"{song.Source}?sha256={song.Sha256}");
        while (true)
        {
            string path = Path.Combine(spool.Directory, "fetched-" + Guid.NewGuid().ToString("N") + ".song");
            string why;
            try
            {
                using HttpResponseMessage response = await http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                response.EnsureSuccessStatusCode();
                await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
                if (await CopyCheckedAsync(body, path, song.Sha256!, cancellationToken) is not { } problem)
                {
                    return new OpenedSong(SongInput.FromFile(song.SongId, path), path);
                }

                why = problem;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                why = ex.Message;
            }

            File.Delete(path);
            if (time.GetUtcNow() >= giveUp)
            {
                throw new TransportException($"The song could not be fetched from {song.Source} within {broker.Value.FetchPatience}: {why}");
            }

            LogRetrying(logger, song.Source!, why);
            await Task.Delay(Pause, time, cancellationToken);
        }
    }

    /// <summary>Copies the body to <paramref name="path"/>; null when it arrived whole and matches, else what was wrong.</summary>
    private async Task<string?> CopyCheckedAsync(Stream body, string path, string sha256, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long limit = limits.Value.MaxUploadBytes;
        long length = 0;
        byte[] buffer = new byte[81_920];
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    return $"the source sent more than Limits:MaxUploadBytes ({limit} bytes)";
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset()) == sha256 ? null : "what arrived does not have the song's SHA-256";
    }

    [LoggerMessage(1, LogLevel.Warning, "Fetching a song from {Source} failed ({Reason}); trying again")]
    private static partial void LogRetrying(ILogger logger, string source, string reason);
}
