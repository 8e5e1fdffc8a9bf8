namespace MusicClassification.Host.Scaling;

/// <summary>What one process of the host does; the same binary runs every role.</summary>
public enum HostRole
{
    /// <summary>Everything in one process, no broker: HTTP, the job store and the pipeline (the default).</summary>
    All = 0,

    /// <summary>HTTP and the job store: publishes job songs to the broker and collects their results.</summary>
    Api = 1,

    /// <summary>Consumes songs from the broker, runs the pipeline, publishes results; serves only health and metrics.</summary>
    Worker = 2,
}
