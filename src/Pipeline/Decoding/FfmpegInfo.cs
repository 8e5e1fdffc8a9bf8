namespace MusicClassification.Decoding;

/// <summary>Whether FFmpeg can be used: where it is and which version, or why not.</summary>
internal sealed record FfmpegInfo(string? Path, string? Version, string? Problem, bool IsLean = false)
{
    public bool IsAvailable => Path is not null && Problem is null;
}
