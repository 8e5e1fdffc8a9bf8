namespace MusicClassification.Host.Jobs;

/// <summary>The answer of <c>GET /jobs/{id}/duplicates</c>.</summary>
/// <param name="Id">The job.</param>
/// <param name="Complete">Whether every song has its result (otherwise the groups cover the results stored so far).</param>
/// <param name="Fingerprinted">Songs with a fingerprint among those results (none unless <c>Pipeline:Features:Fingerprint</c> is on).</param>
/// <param name="Groups">Groups of two or more songs that are the same recording, each in index order.</param>
internal sealed record JobDuplicates(string Id, bool Complete, int Fingerprinted, IReadOnlyList<IReadOnlyList<JobSong>> Groups);

/// <summary>A song of a job, by its index in the upload and its name.</summary>
/// <param name="Index">The song's part position in the upload.</param>
/// <param name="Id">The song's identifier (its sanitised file name).</param>
internal sealed record JobSong(int Index, string Id);
