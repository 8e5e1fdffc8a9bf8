namespace MusicClassification.Host.Transport;

/// <summary>
/// A result handed to the API: the stored JSON a worker sent, or (<see cref="Abandoned"/>) the word that no worker
/// finished the song, after the transport's delivery limit.
/// </summary>
internal abstract class ResultDelivery(SongAddress address, string? json, int attempts)
{
    public SongAddress Address { get; } = address;

    /// <summary>Gets the result's JSON; null for an abandoned song.</summary>
    public string? Json { get; } = json;

    /// <summary>Gets a value indicating whether this is a song no worker finished rather than a result.</summary>
    public bool Abandoned => Json is null;

    /// <summary>Gets how many workers were handed an abandoned song.</summary>
    public int Attempts { get; } = attempts;

    /// <summary>Stored: the transport may forget it.</summary>
    public abstract Task AcknowledgeAsync();

    /// <summary>Not stored (the store refused it): delivered again later.</summary>
    public abstract Task HandBackAsync();
}
