using System.Globalization;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>This process's resident memory from /proc/self/status (Linux): current and high-water mark.</summary>
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

    private static long StatusBytes(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
