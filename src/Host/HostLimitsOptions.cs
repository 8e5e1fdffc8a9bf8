using System.ComponentModel.DataAnnotations;

namespace MusicClassification.Host;

/// <summary>Request limits of the HTTP host, bound from the <c>Limits</c> configuration section and validated at start-up.</summary>
public sealed class HostLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Gets or sets the largest upload of one song, in bytes. Default 100 MiB.</summary>
    [Range(1024L, 4L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Gets or sets where uploads are spooled while their song is analysed; always deleted afterwards. Default: the system temp folder.</summary>
    [Required]
    public string TempDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "music-classification");
}
