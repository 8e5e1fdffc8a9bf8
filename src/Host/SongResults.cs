namespace MusicClassification.Host;

/// <summary>
/// What every path (a single song, a batch, a job in process or through the broker) does to a result the same way: the
/// shape a client sees, the failures the host itself writes, and which results are verdicts on their song.
/// </summary>
internal static class SongResults
{
    /// <summary>The result as a client asked for it: the 57 GTZAN columns only with <c>?features=true</c>.</summary>
    public static SongResult Shown(this SongResult result, bool includeFeatures) =>
        includeFeatures ? result : result with { GtzanFeatures = null };

    /// <summary>A song the host failed without analysing it (upload refused, cut off, never delivered).</summary>
    public static SongResult Failure(string id, int index, SongErrorCode code, string message) =>
        new() { Id = id, Index = index, Error = new SongError(code, message) };

    /// <summary>
    /// A stored song the service can no longer read (deleted, a disk error): the service's fault, so <c>internal_error</c>,
    /// never a verdict on the song's bytes.
    /// </summary>
    public static SongResult Lost(string id, int index) =>
        Failure(id, index, SongErrorCode.Internal, "The service could not read the song it had stored; send it again.");

    /// <summary>
    /// Whether the result says something about the song. A song cancelled because its analysis was stopped (the host or
    /// worker stopping, the job deleted) is not: it stays queued, or goes to another worker.
    /// </summary>
    public static bool IsVerdict(this SongResult result, bool analysisStopped) =>
        !(analysisStopped && result.Error?.Code == SongErrorCode.Cancelled);
}
