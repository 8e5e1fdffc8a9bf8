namespace MusicClassification.Host.Transport;

/// <summary>Which job song a message is about.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Index">The song's index in the job.</param>
/// <param name="SongId">The song's identifier (its sanitised file name).</param>
/// <param name="IncludeFeatures">Whether the job asked for the GTZAN vector.</param>
/// <param name="Succeeded">For a result: whether the song was analysed.</param>
/// <param name="Trace">The W3C traceparent the message carries, when it carries one.</param>
internal sealed record SongAddress(string JobId, int Index, string SongId, bool IncludeFeatures, bool Succeeded, string? Trace = null);
