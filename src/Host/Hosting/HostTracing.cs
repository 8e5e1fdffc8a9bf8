using System.Diagnostics;

namespace MusicClassification.Host.Hosting;

/// <summary>
/// The host's own spans, which carry a song's trace where the request that brought it has ended: a job's run (under the
/// upload's span, stored with the job), a song's hand-over to the broker, its analysis on a worker, its result's storing.
/// Trace context travels as W3C <c>traceparent</c> (in the job store, in the broker messages' headers).
/// </summary>
internal static class HostTracing
{
    public const string SourceName = "MusicClassification.Host";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a span under the W3C <paramref name="traceparent"/> (a root span when there is none or it does not parse).</summary>
    public static Activity? Start(string name, ActivityKind kind, string? traceparent) =>
        Source.StartActivity(name, kind, ActivityContext.TryParse(traceparent, null, out ActivityContext parent) ? parent : default);
}
