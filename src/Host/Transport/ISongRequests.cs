namespace MusicClassification.Host.Transport;

/// <summary>
/// Songs sent straight to the workers by a node that analyses nothing itself (role <c>Api</c>): each is answered on
/// this node's own reply queue, matched by correlation.
/// </summary>
internal interface ISongRequests
{
    /// <summary>
    /// Sends the song stored at <paramref name="path"/> and waits for its result's JSON; null when no worker answered
    /// within the transport's reply timeout.
    /// </summary>
    /// <exception cref="TransportException">The transport failed; the song was not sent.</exception>
    /// <exception cref="IOException">The song's file could not be read.</exception>
    Task<string?> RequestAsync(SongAddress song, string path, CancellationToken cancellationToken);
}
