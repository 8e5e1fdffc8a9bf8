using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Jobs;

namespace MusicClassification.Host.Tests;

/// <summary>
/// The files a node holds for a job deleted through another node (a shared store) go at its next sweep, and never the
/// folder of a job still being uploaded or of a job the store knows.
/// </summary>
[TestClass]
public sealed class JobSweeperTests
{
    [TestMethod]
    public async Task A_folder_the_store_does_not_know_goes_once_no_upload_can_still_be_filling_it()
    {
        string data = Path.Combine(TestFolders.Root, "sweep-" + Guid.NewGuid().ToString("N"));
        var options = Options.Create(new JobOptions { DataDirectory = data });
        var limits = Options.Create(new HostLimitsOptions { BatchUploadTimeout = TimeSpan.FromHours(1) });
        var folder = new JobDataFolder(options);
        using var store = new SqliteJobStore(folder);
        store.Open();
        var spool = new JobSpool(store, folder, options, NullLogger<Uploads.UploadSpool>.Instance, NullLogger<JobSpool>.Instance);
        spool.Prepare();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await store.CreateAsync(new JobRecord("known", null, JobState.Queued, 1, 0, 0, 0, false, now, now, null, null, null),
            [new NewJobSong(0, "a.wav", spool.SongPath("known", 0), null, false)], 10, 10, CancellationToken.None);

        foreach (string job in new[] { "known", "deleted-elsewhere", "uploading" })
        {
            spool.CreateFolder(job);
            await File.WriteAllBytesAsync(spool.SongPath(job, 0), new byte[100]);
        }

        DateTime longAgo = DateTime.UtcNow - TimeSpan.FromHours(2);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(spool.SongPath("known", 0))!, longAgo);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(spool.SongPath("deleted-elsewhere", 0))!, longAgo);

        var sweeper = new JobSweeper(store, spool, options, limits, TimeProvider.System, NullLogger<JobSweeper>.Instance);
        Assert.AreEqual(1, await sweeper.SweepAsync());

        Assert.IsFalse(File.Exists(spool.SongPath("deleted-elsewhere", 0)));
        Assert.IsTrue(File.Exists(spool.SongPath("known", 0)), "a job the store knows keeps its files");
        Assert.IsTrue(File.Exists(spool.SongPath("uploading", 0)), "an upload may still be filling a recent folder");
    }
}
