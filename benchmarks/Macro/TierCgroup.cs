using System.Globalization;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// A CPU quota and a memory limit for one child process and its children, as a small container has them: a cgroup of
/// its own (v1: the <c>cpu</c>, <c>cpuacct</c> and <c>memory</c> hierarchies; v2: the unified one), made at start and
/// removed at dispose. The host joins it through a shell launcher before it execs, so its whole life is counted. Needs
/// root on Linux; <see cref="TryCreate"/> says why not otherwise.
/// </summary>
internal sealed class TierCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";
    private readonly string[] _folders;
    private readonly bool _v2;

    private TierCgroup(string name, bool v2)
    {
        _v2 = v2;
        Name = name;
        _folders = v2 ? [Path.Combine(Root, name)] : [Path.Combine(Root, "cpu", name), Path.Combine(Root, "cpuacct", name), Path.Combine(Root, "memory", name)];
    }

    public string Name { get; }

    public string Version => _v2 ? "v2" : "v1";

    /// <summary>Gets the command that runs its last arguments inside the cgroup (<c>sh -c 'echo $$ &gt; …; exec "$@"'</c>).</summary>
    public IReadOnlyList<string> Launcher =>
        ["sh", "-c", string.Join("; ", _folders.Distinct().Select(f => $"echo $$ > {f}/cgroup.procs")) + "; exec \"$@\"", "sh"];

    /// <summary>Makes the cgroup with <paramref name="cpus"/> of CPU time and <paramref name="memoryBytes"/> of memory (no swap).</summary>
    public static TierCgroup? TryCreate(double cpus, long memoryBytes, out string? whyNot)
    {
        whyNot = null;
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            whyNot = "cgroups need root on Linux";
            return null;
        }

        string name = $"mc-tier-{Environment.ProcessId}";
        bool v2 = File.Exists(Path.Combine(Root, "cgroup.controllers"));
        if (!v2 && !Directory.Exists(Path.Combine(Root, "memory")))
        {
            whyNot = "no cgroup v1 memory hierarchy and no cgroup v2 mount at " + Root;
            return null;
        }

        var group = new TierCgroup(name, v2);
        const int Period = 100_000;
        int quota = (int)Math.Round(cpus * Period);
        try
        {
            foreach (string folder in group._folders)
            {
                Directory.CreateDirectory(folder);
            }

            if (v2)
            {
                string folder = group._folders[0];
                File.WriteAllText(Path.Combine(Root, "cgroup.subtree_control"), "+cpu +memory");
                File.WriteAllText(Path.Combine(folder, "cpu.max"), $"{quota} {Period}");
                File.WriteAllText(Path.Combine(folder, "memory.max"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                TryWrite(Path.Combine(folder, "memory.swap.max"), "0");
            }
            else
            {
                File.WriteAllText(Path.Combine(group._folders[0], "cpu.cfs_period_us"), Period.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Combine(group._folders[0], "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Combine(group._folders[2], "memory.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                TryWrite(Path.Combine(group._folders[2], "memory.memsw.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                TryWrite(Path.Combine(group._folders[2], "memory.swappiness"), "0");
            }

            return group;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            group.Dispose();
            whyNot = $"could not make the cgroup: {ex.Message}";
            return null;
        }
    }

    /// <summary>Gets the CPU time every process of the cgroup has used so far.</summary>
    public TimeSpan CpuUsed => _v2
        ? TimeSpan.FromMicroseconds(Field(Path.Combine(_folders[0], "cpu.stat"), "usage_usec"))
        : TimeSpan.FromTicks(long.Parse(File.ReadAllText(Path.Combine(_folders[1], "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture) / 100);

    /// <summary>Gets the most memory the cgroup has been charged with (page cache included, as the limit counts it).</summary>
    public long PeakMemoryBytes => _v2
        ? ReadLong(Path.Combine(_folders[0], "memory.peak"))
        : ReadLong(Path.Combine(_folders[2], "memory.max_usage_in_bytes"));

    /// <summary>Gets how often a charge hit the limit (v1 <c>failcnt</c>; v2 <c>max</c> events).</summary>
    public long LimitHits => _v2
        ? Field(Path.Combine(_folders[0], "memory.events"), "max")
        : ReadLong(Path.Combine(_folders[2], "memory.failcnt"));

    /// <summary>Gets how many processes of the cgroup the kernel's OOM killer ended.</summary>
    public long OomKills => _v2
        ? Field(Path.Combine(_folders[0], "memory.events"), "oom_kill")
        : Field(Path.Combine(_folders[2], "memory.oom_control"), "oom_kill");

    public void Dispose()
    {
        foreach (string folder in _folders.Reverse())
        {
            for (int attempt = 0; attempt < 50 && Directory.Exists(folder); attempt++)
            {
                try
                {
                    Directory.Delete(folder);
                }
                catch (IOException)
                {
                    // Busy until its last process has gone.
                    Thread.Sleep(100);
                }
            }
        }
    }

    private static long ReadLong(string path) =>
        File.Exists(path) ? long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture) : -1;

    private static long Field(string path, string name)
    {
        if (!File.Exists(path))
        {
            return -1;
        }

        foreach (string line in File.ReadLines(path))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == name)
            {
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    private static void TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
        }
        catch (IOException)
        {
            // Not every kernel has swap accounting.
        }
    }
}
