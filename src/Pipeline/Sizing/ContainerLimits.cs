using System.Globalization;

namespace MusicClassification.Sizing;

/// <summary>
/// The CPU quota and memory limit the process's cgroup (v1 or v2) sets, read the way the kernel applies them: from the
/// process's own cgroup up to the hierarchy's root, the tightest limit wins. Null where no limit is set or there are no
/// cgroups (not Linux). Each value carries the file it came from, for <c>/model_info</c>.
/// </summary>
internal sealed record ContainerLimits(double? Cpus, string? CpuSource, long? MemoryBytes, string? MemorySource)
{
    /// <summary>A memory limit at or above this is cgroup v1's "no limit" (page-rounded <see cref="long.MaxValue"/>).</summary>
    private const long Unlimited = long.MaxValue / 2;

    public static ContainerLimits None { get; } = new(null, null, null, null);

    /// <summary>Reads the limits of this process; <paramref name="root"/> prefixes every path (a test's fake file system).</summary>
    public static ContainerLimits Read(string root = "/")
    {
        try
        {
            string cgroupFile = Combine(root, "/proc/self/cgroup");
            string mountFile = Combine(root, "/proc/self/mountinfo");
            if ((!OperatingSystem.IsLinux() && root == "/") || !File.Exists(cgroupFile) || !File.Exists(mountFile))
            {
                return None;
            }

            Mount[] mounts = [.. File.ReadLines(mountFile).Select(Mount.Parse).OfType<Mount>()];
            string[] memberships = File.ReadAllLines(cgroupFile);
            (double? cpus, string? cpuSource) = Cpu(root, mounts, memberships);
            (long? memory, string? memorySource) = Memory(root, mounts, memberships);
            return new ContainerLimits(cpus, cpuSource, memory, memorySource);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // Unreadable cgroup files leave the runtime's own view (processor count, GC memory) in charge.
            return None;
        }
    }

    private static (double?, string?) Cpu(string root, Mount[] mounts, string[] memberships)
    {
        double? best = null;
        string? source = null;
        foreach (string folder in Folders(root, mounts, memberships, "cpu"))
        {
            double? cpus = null;
            string v2 = Path.Combine(folder, "cpu.max");
            string quotaFile = Path.Combine(folder, "cpu.cfs_quota_us");
            if (File.Exists(v2))
            {
                string[] parts = File.ReadAllText(v2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && parts[0] != "max")
                {
                    cpus = Parse(parts[0]) / (double)Parse(parts[1]);
                }
            }
            else if (File.Exists(quotaFile))
            {
                long quota = Parse(File.ReadAllText(quotaFile));
                if (quota > 0)
                {
                    cpus = quota / (double)Parse(File.ReadAllText(Path.Combine(folder, "cpu.cfs_period_us")));
                }
            }

            if (cpus is double found && (best is null || found < best))
            {
                (best, source) = (found, Describe(root, File.Exists(v2) ? v2 : quotaFile));
            }
        }

        return (best, source);
    }

    private static (long?, string?) Memory(string root, Mount[] mounts, string[] memberships)
    {
        long? best = null;
        string? source = null;
        foreach (string folder in Folders(root, mounts, memberships, "memory"))
        {
            string file = Path.Combine(folder, "memory.max");
            if (!File.Exists(file))
            {
                file = Path.Combine(folder, "memory.limit_in_bytes");
            }

            if (!File.Exists(file))
            {
                continue;
            }

            string text = File.ReadAllText(file).Trim();
            if (text != "max" && Parse(text) is long limit && limit < Unlimited && (best is null || limit < best))
            {
                (best, source) = (limit, Describe(root, file));
            }
        }

        return (best, source);
    }

    /// <summary>The process's cgroup folder for <paramref name="controller"/> and each of its parents up to the mount.</summary>
    private static IEnumerable<string> Folders(string root, Mount[] mounts, string[] memberships, string controller)
    {
        foreach (string line in memberships)
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            bool v2 = parts[0] == "0" && parts[1].Length == 0;
            bool matches = v2 || parts[1].Split(',').Contains(controller, StringComparer.Ordinal);
            Mount? mount = matches ? mounts.FirstOrDefault(m => v2 ? m.IsV2 : m.Controllers.Contains(controller, StringComparer.Ordinal)) : null;
            if (mount is null)
            {
                continue;
            }

            // Inside a container the mount's root is often the container's own cgroup: its path is then relative to it.
            string path = parts[2];
            string relative = mount.Root == "/" ? path : path.StartsWith(mount.Root, StringComparison.Ordinal) ? path[mount.Root.Length..] : "/";
            string top = Combine(root, mount.Point);
            string folder = Combine(top, relative);
            while (true)
            {
                yield return folder;
                if (folder.Length <= top.Length)
                {
                    break;
                }

                folder = Path.GetDirectoryName(folder) ?? top;
            }

            yield break;
        }
    }

    private static long Parse(string text) => long.Parse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static string Combine(string root, string absolute) =>
        Path.TrimEndingDirectorySeparator(root.TrimEnd('/') + "/" + absolute.TrimStart('/'));

    private static string Describe(string root, string file) => "cgroup " + (root == "/" ? file : "/" + Path.GetRelativePath(root, file).Replace('\\', '/'));

    /// <summary>One line of /proc/self/mountinfo that mounts a cgroup hierarchy.</summary>
    private sealed record Mount(string Root, string Point, bool IsV2, string[] Controllers)
    {
        public static Mount? Parse(string line)
        {
            string[] halves = line.Split(" - ", 2);
            if (halves.Length != 2)
            {
                return null;
            }

            string[] fields = halves[0].Split(' ');
            string[] tail = halves[1].Split(' ');
            if (fields.Length < 5 || tail.Length < 3)
            {
                return null;
            }

            return tail[0] switch
            {
                "cgroup2" => new Mount(fields[3], fields[4], true, []),
                "cgroup" => new Mount(fields[3], fields[4], false, tail[2].Split(',')),
                _ => null,
            };
        }
    }
}
