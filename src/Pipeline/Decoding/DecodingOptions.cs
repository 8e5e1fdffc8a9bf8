using System.ComponentModel.DataAnnotations;

namespace MusicClassification.Decoding;

/// <summary>How songs are decoded into the mono signal the features are computed on.</summary>
public sealed class DecodingOptions
{
    /// <summary>Gets or sets the sample rate in hertz of the analysed mono signal; songs at other rates are resampled.</summary>
    /// <value>Default 22 050 Hz (librosa's default and the rate of the GTZAN features); 8 000 to 96 000.</value>
    [Range(8_000, 96_000)]
    public int AnalysisSampleRate { get; set; } = 22_050;

    /// <summary>Gets or sets the longest song that is decoded; a longer one fails with <c>too_long</c> as soon as that is known.</summary>
    /// <value>Default 20 minutes; 1 second to 3 hours.</value>
    [Range(typeof(TimeSpan), "00:00:01", "03:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Gets or sets the largest encoded song, in bytes, the decoders will read; a larger one fails with <c>too_long</c>.</summary>
    /// <value>Default 1 GiB; 1 KiB to 8 GiB.</value>
    [Range(typeof(long), "1024", "8589934592")]
    public long MaxInputBytes { get; set; } = 1L << 30;
}
