namespace LibraryUploader;

/// <summary>How a folder is uploaded.</summary>
public sealed class UploadOptions
{
    public required string Folder { get; init; }

    /// <summary>Gets the songs per job. Default 100.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Gets how many jobs may be unfinished at once (the service allows 10 per client by default). Default 4.</summary>
    public int MaxOpenJobs { get; init; } = 4;

    /// <summary>Gets where results go, one JSON line per song (<c>{"file": …, "result": …}</c>), appended.</summary>
    public string OutputPath { get; init; } = "results.ndjson";

    /// <summary>Gets the state file that makes a run resumable.</summary>
    public string StatePath { get; init; } = "library-upload.state.json";

    public int MaxRetries { get; init; } = 8;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What a run did.</summary>
public sealed class UploadSummary
{
    public int Songs { get; set; }

    public int Sent { get; set; }

    public int Collected { get; set; }

    public int Failed { get; set; }

    public int WithResults { get; set; }
}
