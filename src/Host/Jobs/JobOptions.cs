using System.ComponentModel.DataAnnotations;

namespace MusicClassification.Host.Jobs;

/// <summary>Durable jobs (<c>/jobs</c>), bound from the <c>Jobs</c> section and validated at start-up.</summary>
public sealed class JobOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>Jobs</c>.</summary>
    public const string SectionName = "Jobs";

    /// <summary>
    /// Gets or sets the folder holding the job database (<c>jobs.db</c>, SQLite in WAL mode) and the spool of uploaded songs
    /// (<c>spool/</c>, private). Survives restarts; must not be shared by two hosts. Default: <c>data</c> under the working folder.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Gets or sets a PostgreSQL connection string (Npgsql's keywords: <c>Host=db;Database=music;Username=…;Password=…</c>)
    /// for a job store shared by every API node, so any node behind a load balancer answers any job. Empty (the default):
    /// the embedded SQLite store in <see cref="DataDirectory"/>, one per node. Set the password through the environment
    /// (<c>Jobs__PostgreSql</c>). The schema is created and migrated at start-up (docs/scale-out.md).
    /// </summary>
    public string? PostgreSql { get; set; }

    /// <summary>Gets or sets how long a finished job (and its results) is kept after it completes. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how often expired jobs are removed. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most jobs not yet completed on this host; more get 503 <c>server_busy</c>. Default 100.</summary>
    [Range(1, 100_000)]
    public int MaxOpenJobs { get; set; } = 100;

    /// <summary>Gets or sets the most jobs not yet completed per client (key or address); more get 429 <c>too_many_jobs</c>. Default 10.</summary>
    [Range(1, 100_000)]
    public int MaxOpenJobsPerClient { get; set; } = 10;

    /// <summary>Gets or sets how many jobs' songs are taken in turn at once in role <c>All</c> (a small job is not stuck behind a large one); the others wait queued. Default 4.</summary>
    [Range(1, 1000)]
    public int MaxRunningJobs { get; set; } = 4;

    /// <summary>Gets or sets the most bytes of job songs waiting on disk; past it a new job gets 503 <c>server_busy</c>. Default 16 GiB.</summary>
    [Range(1024L, 1L << 46)]
    public long MaxSpoolBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>
    /// Gets or sets how long songs already being analysed may finish when the host stops; songs not finished by then stay
    /// queued for the next start. Default 10 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the most results one page of <c>GET /jobs/{id}/results</c> returns. Default 1000.</summary>
    [Range(1, 100_000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>A PostgreSQL connection string that does not parse is named at start-up, not at the first job.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PostgreSql is not { Length: > 0 } connection)
        {
            yield break;
        }

        string? problem = null;
        try
        {
            var parsed = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            problem = parsed.Host is { Length: > 0 } ? null : "it names no Host";
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"Jobs:PostgreSql is not a usable PostgreSQL connection string: {problem}.", [nameof(PostgreSql)]);
        }
    }
}
