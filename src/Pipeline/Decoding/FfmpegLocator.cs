using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace MusicClassification.Decoding;

/// <summary>Finds the FFmpeg executable (configured or on PATH) and probes its version once per configured path.</summary>
internal static class FfmpegLocator
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);
    private static readonly ConcurrentDictionary<string, Lazy<Task<FfmpegInfo>>> Probes = new(StringComparer.Ordinal);

    public static Task<FfmpegInfo> LocateAsync(string? configuredPath) =>
        Probes.GetOrAdd(configuredPath ?? string.Empty, key => new Lazy<Task<FfmpegInfo>>(() => ProbeAsync(key.Length == 0 ? null : key))).Value;

    private static async Task<FfmpegInfo> ProbeAsync(string? configuredPath)
    {
        string? path = configuredPath is null ? SearchPath("ffmpeg") : (File.Exists(configuredPath) ? Path.GetFullPath(configuredPath) : null);
        if (path is null)
        {
            return new FfmpegInfo(null, null, configuredPath is null
                ? "ffmpeg was not found on PATH; install it (e.g. apt-get install ffmpeg) or set Decoding.FfmpegPath."
                : $"The configured FFmpeg '{configuredPath}' does not exist.");
        }

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-hide_banner");
        start.ArgumentList.Add("-version");
        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(ProbeTimeout);
            Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            string output = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            string firstLine = output.Split('\n', 2)[0].Trim();
            const string Prefix = "ffmpeg version ";
            // scripts/build-ffmpeg.sh configures with --disable-everything and enables only what the sniffer accepts.
            bool lean = output.Contains("--disable-everything", StringComparison.Ordinal);
            return process.ExitCode == 0 && firstLine.StartsWith(Prefix, StringComparison.Ordinal)
                ? new FfmpegInfo(path, firstLine[Prefix.Length..].Split(' ', 2)[0], null, lean)
                : new FfmpegInfo(null, null, $"'{path} -version' did not identify FFmpeg (exit code {process.ExitCode}).");
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or OperationCanceledException or InvalidOperationException)
        {
            return new FfmpegInfo(null, null, $"FFmpeg at '{path}' could not be run: {ex.Message}");
        }
    }

    private static string? SearchPath(string name)
    {
        string? variable = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(variable))
        {
            return null;
        }

        foreach (string directory in variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
