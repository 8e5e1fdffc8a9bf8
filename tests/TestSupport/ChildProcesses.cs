using System.Globalization;

namespace MusicClassification.Tests.TestAudio;

/// <summary>Counts this process's direct children from /proc, zombies included (Linux).</summary>
public static class ChildProcesses
{
    public static List<(int Pid, string Name, char State)> List()
    {
        var children = new List<(int, string, char)>();
        int self = Environment.ProcessId;
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // pid (comm) state ppid …; comm may contain spaces, so parse around the last parenthesis.
            int open = stat.IndexOf('(', StringComparison.Ordinal);
            int close = stat.LastIndexOf(')');
            string[] rest = stat[(close + 2)..].Split(' ');
            if (int.Parse(rest[1], CultureInfo.InvariantCulture) == self)
            {
                children.Add((pid, stat[(open + 1)..close], rest[0][0]));
            }
        }

        return children;
    }

    public static int CountNamed(string name) => List().Count(c => c.Name == name);
}
