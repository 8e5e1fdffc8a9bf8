namespace MusicClassification.Tests.TestAudio;

/// <summary>Test categories, for <c>--filter "TestCategory!=ffmpeg"</c> on a machine without FFmpeg.</summary>
public static class TestCategories
{
    /// <summary>The test decodes or encodes compressed audio, so it needs FFmpeg on PATH (the test command installs it).</summary>
    public const string Ffmpeg = "ffmpeg";
}
