using System.Globalization;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>CPU seconds another process and its reaped children have used so far, from /proc/&lt;pid&gt;/stat; 0 when it is gone.</summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    public static double SecondsOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime + stime, plus cutime + cstime: the FFmpeg children it has reaped.
            return fields[11..15].Sum(f => double.Parse(f, CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
