namespace MusicClassification.Host.Transport;

/// <summary>A running consumer: it can stop taking new deliveries while those in hand finish, then be disposed.</summary>
internal interface ITransportConsumption : IAsyncDisposable
{
    /// <summary>Stops taking new deliveries; those already handed out may still be settled.</summary>
    Task StopTakingAsync();
}
