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

/// <summary>The answer of <c>GET /jobs/{id}/similar</c>.</summary>
/// <param name="Id">The job.</param>
/// <param name="Song">The song asked about.</param>
/// <param name="Basis">What the distance was computed on: <c>musicnn-tags</c>, <c>gtzan</c> or <c>genres</c> (with tempo, key and loudness).</param>
/// <param name="Neighbours">The nearest other songs with a result, nearest first.</param>
internal sealed record SimilarSongs(string Id, JobSong Song, string Basis, IReadOnlyList<Neighbour> Neighbours);
