namespace MusicClassification;

/// <summary>
/// One song to classify: an identifier chosen by the caller and a way to read its encoded bytes.
/// The format is sniffed from the bytes; the identifier and any file name are never used to choose a decoder.
/// </summary>
public sealed partial class SongInput
{
    private readonly Func<CancellationToken, ValueTask<Stream>> _open;

    private SongInput(string id, Func<CancellationToken, ValueTask<Stream>> open, string? localPath = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        _open = open;
        LocalPath = localPath;
    }

    /// <summary>Gets the caller's identifier, echoed in <see cref="SongResult.Id"/>.</summary>
    public string Id { get; }

    /// <summary>Creates a song from bytes in memory. The memory must stay unchanged until the song's result is delivered.</summary>
    /// <param name="id">The caller's identifier for the song.</param>
    /// <param name="content">The encoded audio (WAV, MP3, …).</param>
    /// <returns>The song.</returns>
    public static SongInput FromBytes(string id, ReadOnlyMemory<byte> content) =>
        new(id, _ => ValueTask.FromResult<Stream>(new ReadOnlyMemoryStream(content)));

    /// <summary>Creates a song read from a file when its turn comes; the file stays closed while the song waits.</summary>
    /// <param name="id">The caller's identifier for the song.</param>
    /// <param name="path">The file to read. Its name and extension are not used to pick a decoder.</param>
    /// <returns>The song.</returns>
    public static SongInput FromFile(string id, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(
            id,
            _ => ValueTask.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan)),
            path);
    }

    /// <summary>Creates a song whose bytes come from a stream opened when its turn comes. The pipeline disposes the stream.</summary>
    /// <param name="id">The caller's identifier for the song.</param>
    /// <param name="open">Opens the stream; called at most once, on a pipeline worker.</param>
    /// <returns>The song.</returns>
    public static SongInput FromStream(string id, Func<CancellationToken, ValueTask<Stream>> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        return new(id, open);
    }

    /// <summary>
    /// Gets the file a song made with <see cref="FromFile"/> is read from: FFmpeg may read it itself (and seek in it)
    /// instead of a copy. The path is the caller's own, never one a client of the service supplied.
    /// </summary>
    internal string? LocalPath { get; }

    internal ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) => _open(cancellationToken);
}
