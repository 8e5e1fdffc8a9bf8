using System.Diagnostics;

namespace MusicClassification.Tests.TestAudio;

/// <summary>Encodes generated audio into compressed formats with the machine's FFmpeg (the test command installs it).</summary>
public static class FfmpegEncoder
{
    public static byte[] Encode(float[] interleaved, int sampleRate, int channels, string extension, params string[] codecArguments)
    {
        string directory = Path.Combine(Path.GetTempPath(), "mc-test-encode");
        Directory.CreateDirectory(directory);
        string input = Path.Combine(directory, $"{Guid.NewGuid():N}.wav");
        string output = Path.Combine(directory, $"{Guid.NewGuid():N}.{extension}");
        try
        {
            File.WriteAllBytes(input, WavBytes.Encode(interleaved, sampleRate, channels, WavEncoding.Float32));
            Run(["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", input, .. codecArguments, output]);
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    /// <summary>Re-encodes the file at <paramref name="source"/> (arguments such as <c>-c:a flac</c>) and returns the new file's bytes.</summary>
    public static byte[] EncodeFile(string source, string extension, params string[] arguments)
    {
        string directory = Path.Combine(Path.GetTempPath(), "mc-test-encode");
        Directory.CreateDirectory(directory);
        string output = Path.Combine(directory, $"{Guid.NewGuid():N}.{extension}");
        try
        {
            Run(["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", source, .. arguments, output]);
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Runs FFmpeg with a lavfi source (for long signals that are cheap to synthesise inside FFmpeg).</summary>
    public static byte[] EncodeLavfi(string source, string extension, params string[] codecArguments)
    {
        string directory = Path.Combine(Path.GetTempPath(), "mc-test-encode");
        Directory.CreateDirectory(directory);
        string output = Path.Combine(directory, $"{Guid.NewGuid():N}.{extension}");
        try
        {
            Run(["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i", source, .. codecArguments, output]);
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Runs FFmpeg (from PATH) with <paramref name="arguments"/> and throws with its errors when it fails.</summary>
    public static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"FFmpeg is not on PATH ({ex.Message}): tests in category '{TestCategories.Ffmpeg}' need it. ./scripts/test.sh installs it " +
                "(scripts/ensure-tools.sh); or run the others with --filter \"TestCategory!=ffmpeg\".", ex);
        }

        using Process process = started ?? throw new InvalidOperationException("ffmpeg did not start");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed: {errors}");
        }
    }
}
