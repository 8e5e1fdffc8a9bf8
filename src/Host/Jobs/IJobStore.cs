namespace MusicClassification.Host.Jobs;

/// <summary>
/// Where jobs, their songs and their results are kept: one transaction stores a job with all its songs (the open-job
/// limits counted in it), each result is stored at most once per song, and a job completes once every song has one.
/// The embedded store is <see cref="SqliteJobStore"/> (one file per node); <see cref="PostgreSqlJobStore"/> is shared by
/// every API node, each job recording the node that holds its songs until the transport has them.
/// </summary>
internal interface IJobStore : IDisposable
{
    /// <summary>Gets why jobs cannot be served (for the operator's log); null when the store opened.</summary>
    string? Unavailable { get; }

    bool IsAvailable => Unavailable is null;

    /// <summary>Opens the store (creating its schema); a store that cannot be read is marked <see cref="Unavailable"/> rather than thrown.</summary>
    void Open();

    /// <summary>Stores a new job and its songs unless the open-job limits are reached, counted in the same transaction.</summary>
    Task<JobAdmission> CreateAsync(JobRecord job, IReadOnlyList<NewJobSong> songs, int maxOpenJobs, int maxOpenJobsPerClient, CancellationToken cancellationToken);

    /// <summary>Stores a song's result unless it already has one; true when stored (and counted).</summary>
    Task<bool> StoreResultAsync(string jobId, int index, string json, bool succeeded, DateTimeOffset now);

    /// <summary>Records that the broker has confirmed the song's message: its file is no longer needed here.</summary>
    Task MarkDispatchedAsync(string jobId, int index);

    /// <summary>Completes a queued or running job whose every song has a result; true when this call completed it.</summary>
    Task<bool> CompleteIfDoneAsync(string jobId, DateTimeOffset now, TimeSpan retention);

    Task SetStateAsync(string jobId, string state, DateTimeOffset now, TimeSpan? retention = null);

    Task DeleteAsync(string jobId);

    JobRecord? Find(string jobId);

    /// <summary>Songs without a result whose file is still on this node (not yet held by the transport).</summary>
    IReadOnlyList<PendingSong> Pending(string jobId);

    /// <summary>Results after completion position <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<StoredResult> Results(string jobId, int after, int limit);

    /// <summary>This node's jobs not finished (queued or running), oldest first: what a start-up resumes.</summary>
    IReadOnlyList<string> Unfinished();

    IReadOnlyList<string> ExpiredBy(DateTimeOffset now);

    IReadOnlyList<string> AllIds();

    /// <summary>Jobs not finished, of <paramref name="owner"/> or (null) of everyone.</summary>
    int OpenJobs(string? owner);

    IReadOnlyDictionary<string, int> CountByState();
}
