using System.Globalization;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// The layout of <see cref="JobOptions.DataDirectory"/>, in one place: <c>jobs.db</c> (and its WAL), and <c>spool/</c>
/// with a private folder per job holding its songs as <c>00000.song</c>, <c>00001.song</c>, … by their part's index,
/// and <c>node-id</c>: this node's name in a shared job store, kept with the songs it spooled so a restarted node
/// resumes its own jobs.
/// </summary>
internal sealed class JobDataFolder(IOptions<JobOptions> options)
{
    public string Path { get; } = System.IO.Path.GetFullPath(options.Value.DataDirectory);

    public string DatabasePath => System.IO.Path.Combine(Path, "jobs.db");

    public string SpoolDirectory => System.IO.Path.Combine(Path, "spool");

    public string JobFolder(string jobId) => System.IO.Path.Combine(SpoolDirectory, jobId);

    public string SongPath(string jobId, int index) => System.IO.Path.Combine(JobFolder(jobId), index.ToString("D5", CultureInfo.InvariantCulture) + ".song");

    /// <summary>This node's identity in a shared store: made once, then read from <c>node-id</c> (the folder must exist).</summary>
    public string NodeId()
    {
        string file = System.IO.Path.Combine(Path, "node-id");
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } known)
        {
            return known;
        }

        string made = Guid.NewGuid().ToString("N");
        File.WriteAllText(file, made);
        return made;
    }

    /// <summary>Gets how many jobs' folders the spool holds.</summary>
    public int JobFolderCount() => Directory.Exists(SpoolDirectory) ? Directory.EnumerateDirectories(SpoolDirectory).Count() : 0;
}
