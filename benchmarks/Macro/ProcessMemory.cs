using System.Globalization;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>Resident memory from /proc/&lt;pid&gt;/status (Linux): current and high-water mark, of this process or another.</summary>
internal static class ProcessMemory
{
    public const double MiB = 1024 * 1024;

    public static long RssBytes => StatusBytes("VmRSS:");

    public static long PeakRssBytes => StatusBytes("VmHWM:");

    /// <summary>Resets the high-water mark to the current RSS (Linux ≥ 4.0); silently does nothing where not allowed.</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Current RSS of another process (0 once it has exited).</summary>
    public static long RssBytesOf(int pid) => StatusBytes("VmRSS:", $"/proc/{pid}/status");

    /// <summary>High-water mark of another process's RSS (0 once it has exited).</summary>
    public static long PeakRssBytesOf(int pid) => StatusBytes("VmHWM:", $"/proc/{pid}/status");

    private static long StatusBytes(string key, string path = "/proc/self/status")
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
