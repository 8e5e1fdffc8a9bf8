using System.Globalization;
using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// The layout of <see cref="JobOptions.DataDirectory"/>, in one place: <c>jobs.db</c> (and its WAL), and <c>spool/</c>
/// with a private folder per job holding its songs as <c>00000.song</c>, <c>00001.song</c>, … by their part's index.
/// </summary>
internal sealed class JobDataFolder(IOptions<JobOptions> options)
{
    public string Path { get; } = System.IO.Path.GetFullPath(options.Value.DataDirectory);

    public string DatabasePath => System.IO.Path.Combine(Path, "jobs.db");

    public string SpoolDirectory => System.IO.Path.Combine(Path, "spool");

    public string JobFolder(string jobId) => System.IO.Path.Combine(SpoolDirectory, jobId);

    public string SongPath(string jobId, int index) => System.IO.Path.Combine(JobFolder(jobId), index.ToString("D5", CultureInfo.InvariantCulture) + ".song");

    /// <summary>Gets how many jobs' folders the spool holds.</summary>
    public int JobFolderCount() => Directory.Exists(SpoolDirectory) ? Directory.EnumerateDirectories(SpoolDirectory).Count() : 0;
}
