using System.ComponentModel.DataAnnotations;

namespace MusicClassification.Host;

/// <summary>
/// Request limits of the HTTP host, bound from the <c>Limits</c> configuration section and validated at start-up. Every
/// limit is answered with problem details carrying a stable <c>code</c>; a declared size over a limit is refused before
/// the body is read. The spool's disk use is bounded by <see cref="MaxSpoolBytes"/>.
/// </summary>
public sealed class HostLimitsOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>Limits</c>.</summary>
    public const string SectionName = "Limits";

    /// <summary>Gets or sets the largest upload of one song (a single-song body or one batch part), in bytes. Default 100 MiB.</summary>
    [Range(1024L, 4L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the largest request body of one batch, in bytes. Default 16 GiB: 1000 songs of 4 minutes at 320 kb/s
    /// are 9.6 GB (1000 three-minute songs at 192 kb/s, 4.3 GB, were over the first default of 4 GiB).
    /// </summary>
    [Range(1024L, 1L << 40)]
    public long MaxBatchBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Gets or sets the most songs (file parts) one batch may hold; further parts get a <c>rejected</c> result. Default 1000.</summary>
    [Range(1, 100_000)]
    public int MaxSongsPerBatch { get; set; } = 1000;

    /// <summary>Gets or sets the largest non-file multipart field, in bytes (they are read and ignored). Default 64 KiB.</summary>
    [Range(0, 16 * 1024 * 1024)]
    public int MaxFormFieldBytes { get; set; } = 64 * 1024;

    /// <summary>Gets or sets the most headers one multipart part may have. Default 16.</summary>
    [Range(1, 1000)]
    public int MaxPartHeaders { get; set; } = 16;

    /// <summary>Gets or sets the most bytes of headers one multipart part may have (a long file name counts). Default 16 KiB.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxPartHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>Gets or sets how long one song's bytes may take to arrive (a single-song body, or one batch part). Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SongUploadTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long a whole batch body may take to arrive. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan BatchUploadTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long one streamed batch line may wait for the client to read it once the client has finished its
    /// upload (while it is still uploading, results wait for it: many clients read only after sending). Past it the
    /// connection is dropped and the batch's remaining songs are cancelled. Default 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResponseWriteTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long a client may take to send the request headers (Kestrel). Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the most connections open at once (Kestrel); past it new connections are closed at once. Default 1000.
    /// Connections that stay idle are closed after <see cref="RequestHeadersTimeout"/> (Kestrel's keep-alive timeout).
    /// </summary>
    [Range(1, 1_000_000)]
    public long MaxConcurrentConnections { get; set; } = 1000;

    /// <summary>Gets or sets the total size of request headers (Kestrel). Default 32 KiB.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Gets or sets the slowest upload rate, in bytes per second, below which Kestrel drops the connection after <see cref="MinUploadGracePeriod"/>. Default 1024.</summary>
    [Range(1, 1024 * 1024 * 1024)]
    public double MinUploadBytesPerSecond { get; set; } = 1024;

    /// <summary>Gets or sets how long an upload may run below <see cref="MinUploadBytesPerSecond"/> before it is dropped. Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MinUploadGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the most single-song requests in progress at once; more get 503 <c>server_busy</c>. Sized by the
    /// container: 16 per processor the process may use (<see cref="Environment.ProcessorCount"/>, 1 under a 0.5 CPU
    /// quota), 8 to 64: past that a song would wait longer for the CPU than a client waits for an answer.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentSongRequests { get; set; } = Math.Clamp(16 * Environment.ProcessorCount, 8, 64);

    /// <summary>
    /// Gets or sets the most batches in progress at once on this host; more get 503 <c>server_busy</c>. Sized by the
    /// container: 4 per processor the process may use, 2 to 32 (4 on a 0.5 CPU box, 8 on two cores).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentBatches { get; set; } = Math.Clamp(4 * Environment.ProcessorCount, 2, 32);

    /// <summary>Gets or sets the most batches one client (API key, or address without keys) may run at once; more get 429 <c>too_many_batches</c>. Default 2.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentBatchesPerClient { get; set; } = 2;

    /// <summary>Gets or sets how many requests one client may make per minute (token bucket); more get 429 <c>rate_limited</c>. Default 600.</summary>
    [Range(1, 10_000_000)]
    public int RequestsPerMinutePerClient { get; set; } = 600;

    /// <summary>
    /// Gets or sets the most bytes of uploads on disk at once. A single song arriving when the spool is full gets 503
    /// <c>server_busy</c>; a batch waits for room (its songs finish and free it). Default 8 GiB.
    /// </summary>
    [Range(1024L, 1L << 44)]
    public long MaxSpoolBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Gets or sets the <c>Retry-After</c> given with 503 <c>server_busy</c>, in seconds. Default 5.</summary>
    [Range(1, 3600)]
    public int BusyRetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// Gets or sets the spool folder for uploads while their songs are analysed. Created private (0700) if missing; a
    /// symbolic link or a folder owned by another user is refused at start-up. Emptied at start-up (files left by a
    /// crash), so each host needs a folder of its own. Default: <c>music-classification-spool</c> under the system temp folder.
    /// </summary>
    [Required]
    public string TempDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "music-classification-spool");

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxUploadBytes > MaxSpoolBytes)
        {
            yield return new ValidationResult("MaxUploadBytes may not exceed MaxSpoolBytes: one song must fit in the spool.", [nameof(MaxUploadBytes)]);
        }

        if (MaxUploadBytes > MaxBatchBytes)
        {
            yield return new ValidationResult("MaxUploadBytes may not exceed MaxBatchBytes.", [nameof(MaxUploadBytes)]);
        }
    }
}
