using Microsoft.Extensions.Options;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// The songs of jobs waiting on disk: one private folder per job under the data directory's <c>spool/</c>, each file
/// deleted once its song's result is stored. Bounded by <see cref="JobOptions.MaxSpoolBytes"/>. At start-up, folders of
/// jobs the database does not know (an upload cut short by a crash) are removed and the rest counted.
/// </summary>
internal sealed partial class JobSpool(IJobStore store, JobDataFolder folder, IOptions<JobOptions> options, ILogger<UploadSpool> spoolLogger, ILogger<JobSpool> logger)
{
    // Song deletions (results stored) and job deletions (DELETE, expiry) race on the same files: each file's bytes must
    // be given back exactly once, so the check, the delete and the release happen under one lock.
    private readonly Lock _deleting = new();

    public UploadSpool Files { get; } = new(folder.SpoolDirectory, options.Value.MaxSpoolBytes, spoolLogger);

    /// <summary>Where the song of a job's <paramref name="index"/>-th file part is kept.</summary>
    public string SongPath(string jobId, int index) => folder.SongPath(jobId, index);

    public void Prepare()
    {
        Files.Prepare(sweep: false);
        var known = new HashSet<string>(store.AllIds(), StringComparer.Ordinal);
        foreach (string folder in Directory.EnumerateDirectories(Files.Directory))
        {
            if (!known.Contains(Path.GetFileName(folder)))
            {
                Directory.Delete(folder, recursive: true);
                LogOrphanRemoved(logger, Path.GetFileName(folder));
                continue;
            }

            Files.Adopt(new DirectoryInfo(folder).EnumerateFiles().Sum(f => f.Length));
        }
    }

    /// <summary>Jobs whose folder here has not changed since <paramref name="time"/> (no upload can still be filling it).</summary>
    public IReadOnlyList<string> JobFoldersUnchangedSince(DateTimeOffset time) => Directory.Exists(Files.Directory)
        ? [.. new DirectoryInfo(Files.Directory).EnumerateDirectories().Where(d => d.LastWriteTimeUtc < time.UtcDateTime).Select(d => d.Name)]
        : [];

    /// <summary>Creates the job's private folder.</summary>
    public void CreateFolder(string jobId) => PrivateDirectory.Ensure(folder.JobFolder(jobId));

    /// <summary>Deletes one song's file once its result is stored, giving its bytes back.</summary>
    public void DeleteSong(string path)
    {
        lock (_deleting)
        {
            var file = new FileInfo(path);
            if (file.Exists)
            {
                long length = file.Length;
                file.Delete();
                Files.Release(length);
            }
        }
    }

    /// <summary>Deletes a job's folder and everything left in it.</summary>
    public void DeleteJob(string jobId)
    {
        lock (_deleting)
        {
            var job = new DirectoryInfo(folder.JobFolder(jobId));
            if (!job.Exists)
            {
                return;
            }

            long length = job.EnumerateFiles().Sum(f => f.Length);
            job.Delete(recursive: true);
            Files.Release(length);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Removed the spool folder of job {JobId}, which the database does not know (an upload cut short)")]
    private static partial void LogOrphanRemoved(ILogger logger, string jobId);
}
