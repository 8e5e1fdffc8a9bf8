namespace MusicClassification.Host.Jobs;

/// <summary>A job's row.</summary>
internal sealed record JobRecord(
    string Id,
    string? Owner,
    string State,
    int Total,
    int Done,
    int Succeeded,
    int Failed,
    bool IncludeFeatures,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    DateTimeOffset? Started,
    DateTimeOffset? Completed,
    DateTimeOffset? Expires,
    string? Trace = null);

/// <summary>A song of a job still waiting for its result: where its bytes are.</summary>
internal sealed record PendingSong(int Index, string Id, string Path);

/// <summary>A song as a new job stores it: on disk (<paramref name="Path"/>) or already failed at upload (<paramref name="ResultJson"/>).</summary>
internal sealed record NewJobSong(int Index, string Id, string? Path, string? ResultJson, bool Succeeded);

/// <summary>A stored result and its position in the job's completion order (1, 2, …), which result pages resume from.</summary>
internal sealed record StoredResult(int Position, string Json);
