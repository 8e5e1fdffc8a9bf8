namespace MusicClassification.Host.Transport;

/// <summary>A song handed to a worker: its address, its bytes while the handler runs, and how the worker settles it.</summary>
internal abstract class SongDelivery(SongAddress address)
{
    public SongAddress Address { get; } = address;

    /// <summary>
    /// The song to analyse, valid until the handler returns (fetched first when it did not ride in the message); null
    /// when its bytes can no longer be had (the service lost them, or its job was deleted).
    /// </summary>
    /// <exception cref="TransportException">Its bytes could not be fetched now (the node holding them is unreachable): hand it back.</exception>
    public abstract Task<OpenedSong?> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Done with: its result has been sent.</summary>
    /// <exception cref="TransportException">The transport failed; the song will be delivered again.</exception>
    public abstract Task AcknowledgeAsync();

    /// <summary>Not analysed here (this worker stops): another worker takes it.</summary>
    public abstract Task HandBackAsync();
}
