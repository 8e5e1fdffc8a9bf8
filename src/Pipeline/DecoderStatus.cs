namespace MusicClassification;

/// <summary>Which decoders a pipeline can use, for start-up checks and service information.</summary>
public sealed record DecoderStatus
{
    /// <summary>Gets the formats decoded in managed code, always available: RIFF/WAVE and RF64 with PCM or IEEE float samples.</summary>
    public IReadOnlyList<string> ManagedFormats { get; init; } = ["wav/pcm8", "wav/pcm16", "wav/pcm24", "wav/pcm32", "wav/float32", "wav/float64", "rf64"];

    /// <summary>Gets the formats that need FFmpeg.</summary>
    public IReadOnlyList<string> FfmpegFormats { get; init; } = ["mp3", "aac", "mp4/m4a", "flac", "ogg/vorbis", "ogg/opus", "aiff", "matroska/webm", "asf/wma", "wav (other codecs)"];

    /// <summary>Gets a value indicating whether FFmpeg was found and answered a version probe.</summary>
    public required bool FfmpegAvailable { get; init; }

    /// <summary>Gets the FFmpeg executable in use, if any.</summary>
    public string? FfmpegPath { get; init; }

    /// <summary>Gets the FFmpeg version string, if any (such as <c>5.1.6-0+deb12u1</c>).</summary>
    public string? FfmpegVersion { get; init; }

    /// <summary>
    /// Gets which FFmpeg build is in use: <c>lean</c> (built with only the demuxers and decoders the sniffer accepts, as
    /// <c>scripts/build-ffmpeg.sh</c> makes it: no start-up cost, a smaller attack surface) or <c>full</c> (a
    /// distribution's build); null without FFmpeg.
    /// </summary>
    public string? FfmpegBuild { get; init; }

    /// <summary>Gets why FFmpeg cannot be used, when it cannot; compressed songs then fail with <c>decoder_missing</c>.</summary>
    public string? Problem { get; init; }
}
