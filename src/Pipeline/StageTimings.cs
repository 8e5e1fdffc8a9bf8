namespace MusicClassification;

/// <summary>Wall-clock time one song spent in each part of the pipeline.</summary>
/// <param name="Queued">From submission until a decode worker took the song.</param>
/// <param name="Decode">Decoding, mixing to mono and resampling.</param>
/// <param name="Features">Feature and descriptor extraction.</param>
/// <param name="Classify">Model inference.</param>
public readonly record struct StageTimings(TimeSpan Queued, TimeSpan Decode, TimeSpan Features, TimeSpan Classify)
{
    /// <summary>Gets the time from submission to result.</summary>
    public TimeSpan Total => Queued + Decode + Features + Classify;
}
