namespace MusicClassification.Host.Transport;

/// <summary>A song handed to a worker: its address, its bytes while the handler runs, and how the worker settles it.</summary>
internal abstract class SongDelivery(SongAddress address)
{
    public SongAddress Address { get; } = address;

    /// <summary>The song to analyse, valid until the handler returns; null when its bytes can no longer be had (the service lost them).</summary>
    public abstract SongInput? Open();

    /// <summary>Done with: its result has been sent.</summary>
    /// <exception cref="TransportException">The transport failed; the song will be delivered again.</exception>
    public abstract Task AcknowledgeAsync();

    /// <summary>Not analysed here (this worker stops): another worker takes it.</summary>
    public abstract Task HandBackAsync();
}
