using System.ComponentModel.DataAnnotations;

namespace MusicClassification;

/// <summary>How songs are decoded into the mono signal the features are computed on.</summary>
public sealed class DecodingOptions
{
    /// <summary>Gets or sets the sample rate in hertz of the analysed mono signal; songs at other rates are resampled.</summary>
    /// <value>Default 22 050 Hz (librosa's default and the rate of the GTZAN features); 8 000 to 96 000.</value>
    [Range(8_000, 96_000)]
    public int AnalysisSampleRate { get; set; } = 22_050;

    /// <summary>
    /// Gets or sets the longest song accepted; a longer one fails with <c>too_long</c> as soon as that is known (from its
    /// header, or once this much audio has been decoded), which also stops decompression bombs early.
    /// </summary>
    /// <value>Default 30 minutes; 1 second to 3 hours.</value>
    [Range(typeof(TimeSpan), "00:00:01", "03:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Gets or sets which part of each song is analysed. Decoded audio is the largest thing the pipeline holds, so the
    /// window is what bounds memory per song: at 22 050 Hz a 180 s window is 16 MB of samples.
    /// </summary>
    /// <value>Default <see cref="AnalysisWindow.Middle"/>.</value>
    [EnumDataType(typeof(AnalysisWindow))]
    public AnalysisWindow Window { get; set; } = AnalysisWindow.Middle;

    /// <summary>Gets or sets the length of the analysed window (ignored for <see cref="AnalysisWindow.WholeTrack"/>).</summary>
    /// <value>Default 180 seconds; 1 second to 3 hours.</value>
    [Range(typeof(TimeSpan), "00:00:01", "03:00:00")]
    public TimeSpan WindowLength { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>
    /// Gets or sets the FFmpeg executable used for compressed formats (MP3, AAC/M4A, FLAC, Ogg Vorbis, Opus, …). When
    /// <see langword="null"/>, <c>ffmpeg</c> is looked up on <c>PATH</c>. Without FFmpeg, compressed songs fail with
    /// <c>decoder_missing</c> and WAV still works.
    /// </summary>
    /// <value>Default <see langword="null"/> (search <c>PATH</c>).</value>
    public string? FfmpegPath { get; set; }

    /// <summary>
    /// Gets or sets the folder for the private (0600) temporary copies FFmpeg reads MP4, and MP3/Ogg under the middle
    /// window, from (named <c>mc-ffmpeg-*.tmp</c>, deleted when the song is decoded). A service points it into a folder
    /// of its own, which it can sweep after a crash.
    /// </summary>
    /// <value>Default <see langword="null"/> (the system temp folder).</value>
    public string? TempDirectory { get; set; }

    /// <summary>Gets or sets the largest encoded song, in bytes, the decoders will read; a larger one fails with <c>too_long</c>.</summary>
    /// <value>Default 1 GiB; 1 KiB to 8 GiB.</value>
    [Range(typeof(long), "1024", "8589934592")]
    public long MaxInputBytes { get; set; } = 1L << 30;

    /// <summary>A copy that keeps the first <see cref="WindowLength"/> of a stream: for a stream that already starts at the window.</summary>
    internal DecodingOptions FromStartOfStream()
    {
        var copy = (DecodingOptions)MemberwiseClone();
        copy.Window = AnalysisWindow.Start;
        return copy;
    }

    internal DecodingOptions Copy() => (DecodingOptions)MemberwiseClone();
}
