namespace MusicClassification.Tests.TestAudio;

/// <summary>
/// The FFmpeg the tests decode with: <c>MC_FFMPEG</c> when set (scripts/test.sh sets it to the lean static build of
/// scripts/build-ffmpeg.sh when that is there), else <c>ffmpeg</c> on PATH. Encoding test material always uses the
/// distribution's FFmpeg on PATH, since the lean build has no encoders but PCM.
/// </summary>
public static class TestDecoder
{
    /// <summary>The environment variable naming the FFmpeg to decode with.</summary>
    public const string Variable = "MC_FFMPEG";

    /// <summary>Gets the configured FFmpeg path, or null for PATH.</summary>
    public static string? FfmpegPath { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;
}
