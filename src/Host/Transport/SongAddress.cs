namespace MusicClassification.Host.Transport;

/// <summary>Which song a message is about: a job's song, or (with <paramref name="ReplyTo"/>) a song someone waits for over HTTP.</summary>
/// <param name="JobId">The job; empty for a song sent directly.</param>
/// <param name="Index">The song's index in the job (or in its batch).</param>
/// <param name="SongId">The song's identifier (its sanitised file name).</param>
/// <param name="IncludeFeatures">Whether the GTZAN vector travels back with the result.</param>
/// <param name="Succeeded">For a result: whether the song was analysed.</param>
/// <param name="Trace">The W3C traceparent the message carries, when it carries one.</param>
/// <param name="Priority">How the worker's pipeline schedules it: a song someone waits for goes first.</param>
/// <param name="ReplyTo">Where the result of a direct song goes (the requesting node's reply queue); null for job songs.</param>
/// <param name="CorrelationId">Which request a direct song's result answers.</param>
/// <param name="Source">Where a worker fetches a song too large to ride in its message (an API node's URL); null when the bytes travel with it.</param>
/// <param name="Sha256">The fetched song's SHA-256 (hex): the fetch's proof of being sent the message, and the check of what arrives.</param>
internal sealed record SongAddress(
    string JobId,
    int Index,
    string SongId,
    bool IncludeFeatures,
    bool Succeeded,
    string? Trace = null,
    SongPriority Priority = SongPriority.Batch,
    string? ReplyTo = null,
    string? CorrelationId = null,
    string? Source = null,
    string? Sha256 = null);
