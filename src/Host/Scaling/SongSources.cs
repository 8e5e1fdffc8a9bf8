using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Transport;

namespace MusicClassification.Host.Scaling;

/// <summary>
/// The API side of songs too large to ride in a message: the song stays in this node's spool and the message carries
/// its address here and its SHA-256. A job's song is found by job and index (its file stays until its result is
/// stored, also across a restart); a song sent directly is registered for as long as its request waits. A fetch must
/// name the song's SHA-256: only someone who was sent the message can, and the worker checks what it received
/// against it.
/// </summary>
internal sealed class SongSources(Jobs.JobDataFolder jobs, IServer server, IOptions<HostRoleOptions> role)
{
    public const string Route = "/internal/songs";

    private readonly ConcurrentDictionary<string, (string Path, string Sha256)> _uploads = new(StringComparer.Ordinal);

    // A job song's hash, computed once (when it is sent, or at its first fetch after a restart): a fetch naming the
    // wrong hash costs a lookup, not a read of the whole file.
    private readonly ConcurrentDictionary<string, string> _jobHashes = new(StringComparer.Ordinal);

    /// <summary>Addresses <paramref name="song"/> (stored at <paramref name="path"/>) for a worker to fetch: its URL and SHA-256.</summary>
    public async Task<SongAddress> AddressAsync(SongAddress song, string path, CancellationToken cancellationToken)
    {
        string sha256 = await HashAsync(path, cancellationToken);
        string relative;
        if (song.JobId.Length > 0)
        {
            _jobHashes[path] = sha256;
            relative = $"{Route}/jobs/{song.JobId}/{song.Index.ToString(CultureInfo.InvariantCulture)}";
        }
        else
        {
            string id = Guid.NewGuid().ToString("N");
            _uploads[id] = (path, sha256);
            relative = $"{Route}/uploads/{id}";
        }

        return song with { Source = new Uri(BaseUrl(), relative).ToString(), Sha256 = sha256 };
    }

    /// <summary>Forgets a direct song once its request has its answer.</summary>
    public void Release(SongAddress song)
    {
        if (song.Source is { } source && song.JobId.Length == 0)
        {
            _uploads.TryRemove(source[(source.LastIndexOf('/') + 1)..], out _);
        }
    }

    /// <summary>The file of a job's song, if it is here and its content has the SHA-256 named.</summary>
    public async Task<string?> JobSongAsync(string jobId, int index, string sha256, CancellationToken cancellationToken)
    {
        if (!Jobs.JobIds.IsWellFormed(jobId) || index < 0)
        {
            return null;
        }

        string path = jobs.SongPath(jobId, index);
        if (!File.Exists(path))
        {
            _jobHashes.TryRemove(path, out _);
            return null;
        }

        if (!_jobHashes.TryGetValue(path, out string? known))
        {
            known = _jobHashes.GetOrAdd(path, await HashAsync(path, cancellationToken));
        }

        return Matches(known, sha256) ? path : null;
    }

    /// <summary>The file of a direct song still waited for, if the SHA-256 named is its own.</summary>
    public string? Upload(string id, string sha256) =>
        _uploads.TryGetValue(id, out var upload) && Matches(upload.Sha256, sha256) && File.Exists(upload.Path) ? upload.Path : null;

    private static bool Matches(string known, string claimed) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(known), System.Text.Encoding.ASCII.GetBytes(claimed.ToLowerInvariant()));

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private Uri BaseUrl()
    {
        if (role.Value.AdvertisedUrl is { } advertised)
        {
            return advertised;
        }

        string first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("This node listens on no address workers could fetch songs from; set Host:AdvertisedUrl.");
        var address = new UriBuilder(first.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        if (address.Host is "0.0.0.0" or "[::]" or "::")
        {
            address.Host = Environment.MachineName;
        }

        return address.Uri;
    }
}
