using Microsoft.AspNetCore.Mvc;

namespace MusicClassification.Host.Batches;

/// <summary>The counts of a batch: every song that reached the service has one result, success or failure.</summary>
/// <param name="Total">Songs (file parts) received.</param>
/// <param name="Succeeded">Songs analysed.</param>
/// <param name="Failed">Songs that failed, whatever the reason.</param>
/// <param name="Failures">Failed songs by error code.</param>
/// <param name="UploadError">Why the upload stopped early (malformed form, timeout, size), when it did; the songs received before it still have their results.</param>
/// <param name="Duplicates">
/// With fingerprints on (<c>Pipeline:Features:Fingerprint</c>): the groups of songs that are the same recording, each
/// as the songs' indexes (<see cref="SongDuplicates"/>); absent when fingerprints are off.
/// </param>
internal sealed record BatchSummary(
    int Total, int Succeeded, int Failed, IReadOnlyDictionary<string, int> Failures, ProblemDetails? UploadError, IReadOnlyList<IReadOnlyList<int>>? Duplicates = null);

/// <summary>The JSON answer of <c>POST /classify/batch</c>: the counts and every song's result, in upload order.</summary>
/// <param name="Summary">The counts.</param>
/// <param name="Results">One result per song, ordered by <see cref="SongResult.Index"/> (the part's position in the form).</param>
internal sealed record BatchResponse(BatchSummary Summary, IReadOnlyList<SongResult> Results);

/// <summary>The last NDJSON line of a streamed batch.</summary>
/// <param name="Summary">The counts.</param>
internal sealed record BatchSummaryLine(BatchSummary Summary);
