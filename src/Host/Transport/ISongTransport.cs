namespace MusicClassification.Host.Transport;

/// <summary>
/// How job songs travel from the API to the workers and their results back: in this process (<see cref="InProcessTransport"/>,
/// role <c>All</c>) or through RabbitMQ (<see cref="Scaling.RabbitMqTransport"/>, roles <c>Api</c> and <c>Worker</c>).
/// Jobs are dispatched, analysed and collected by the same code over either; only delivery differs. A song is settled
/// by its consumer (acknowledged once its result is sent, handed back when the worker stops); a result is acknowledged
/// once stored. Failures of the transport itself are <see cref="TransportException"/>.
/// </summary>
internal interface ISongTransport
{
    /// <summary>Gets a value indicating whether songs can be sent now (a broker is reachable).</summary>
    bool IsAvailable { get; }

    /// <summary>
    /// Gets a value indicating whether a sent song stays sent beyond this process (a broker's durable queue): it is then
    /// marked dispatched and not sent again after a restart. In process, every song without a result is sent again.
    /// </summary>
    bool IsDurable { get; }

    /// <summary>Gets the pause before something the transport refused (or a result the store refused) is tried again.</summary>
    TimeSpan RetryInterval { get; }

    /// <summary>Raised when a lost connection is back: songs that could not be sent may be sent again.</summary>
    event Func<Task>? Reconnected;

    /// <summary>
    /// Sends one song stored at <paramref name="path"/>; complete once the transport has it (a broker confirmed it). True
    /// when its bytes travelled with it (the file may go now); false when only its address did (the file stays until
    /// the song's result is stored).
    /// </summary>
    /// <exception cref="TransportException">The transport failed; the song was not taken.</exception>
    /// <exception cref="IOException">The song's file could not be read.</exception>
    Task<bool> SendSongAsync(SongAddress song, string path, CancellationToken cancellationToken);

    /// <summary>Sends a song's result (its stored JSON); complete once the transport has it.</summary>
    /// <exception cref="TransportException">The transport failed; the result was not taken.</exception>
    Task SendResultAsync(SongAddress song, ReadOnlyMemory<byte> resultJson, CancellationToken cancellationToken);

    /// <summary>Starts handing songs to <paramref name="handler"/>, at most <paramref name="parallelism"/> at once.</summary>
    Task<ITransportConsumption> ConsumeSongsAsync(int parallelism, Func<SongDelivery, Task> handler, CancellationToken cancellationToken);

    /// <summary>Starts handing results (and songs no worker finished) to <paramref name="handler"/>.</summary>
    Task<ITransportConsumption> ConsumeResultsAsync(Func<ResultDelivery, Task> handler, CancellationToken cancellationToken);

    /// <summary>Forgets the songs of a deleted job that no worker has taken yet, where the transport can (in process).</summary>
    void Withdraw(string jobId);
}
