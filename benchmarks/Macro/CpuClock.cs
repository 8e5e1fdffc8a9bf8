using System.Globalization;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>CPU seconds used by this process and by its reaped children (FFmpeg), from /proc/self/stat.</summary>
internal readonly record struct CpuClock(double Self, double Children)
{
    private const double TicksPerSecond = 100;

    public double Total => Self + Children;

    public static CpuClock Now()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Field(int index) => double.Parse(fields[index], CultureInfo.InvariantCulture) / TicksPerSecond;
        return new CpuClock(Field(11) + Field(12), Field(13) + Field(14));
    }

    public static CpuClock operator -(CpuClock a, CpuClock b) => new(a.Self - b.Self, a.Children - b.Children);
}
