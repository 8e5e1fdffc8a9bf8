using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Jobs;

namespace MusicClassification.Host.Tests;

/// <summary>
/// The job spool's byte count under the races the outside probe hit: a job deleted by a DELETE while the runner deletes
/// it on cancellation, and its songs' files deleted as their results are stored. Every byte is given back exactly once.
/// </summary>
[TestClass]
public sealed class JobSpoolTests
{
    [TestMethod]
    public void Deleting_one_job_from_eight_threads_at_once_gives_its_bytes_back_once_and_never_throws()
    {
        string data = Path.Combine(TestFolders.Root, "spool-race-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = Options.Create(new JobOptions { DataDirectory = data });
            var folder = new JobDataFolder(options);
            using var store = new SqliteJobStore(folder);
            var spool = new JobSpool(store, folder, options, NullLogger<Uploads.UploadSpool>.Instance, NullLogger<JobSpool>.Instance);
            spool.Files.Prepare(sweep: false);
            for (int round = 0; round < 40; round++)
            {
                string job = $"job{round}";
                spool.CreateFolder(job);
                for (int song = 0; song < 20; song++)
                {
                    File.WriteAllBytes(spool.SongPath(job, song), new byte[1000]);
                }

                spool.Files.Adopt(20 * 1000);
                using var start = new Barrier(8);
                Exception?[] failures = new Exception?[8];
                Thread[] threads = [.. Enumerable.Range(0, 8).Select(t => new Thread(() =>
                {
                    start.SignalAndWait();
                    try
                    {
                        // Half delete the whole job (DELETE, the runner's cancellation), half its songs one by one (results stored).
                        if (t % 2 == 0)
                        {
                            spool.DeleteJob(job);
                        }
                        else
                        {
                            for (int song = 0; song < 20; song++)
                            {
                                spool.DeleteSong(spool.SongPath(job, song));
                            }
                        }
                    }
                    catch (Exception ex)
                    {
                        failures[t] = ex;
                    }
                }))];
                foreach (Thread thread in threads)
                {
                    thread.Start();
                }

                foreach (Thread thread in threads)
                {
                    thread.Join();
                }

                Assert.IsNull(failures.FirstOrDefault(f => f is not null), $"round {round}: {failures.FirstOrDefault(f => f is not null)}");
                Assert.AreEqual(0, spool.Files.BytesInUse, $"round {round}: the spool's count drifted.");
            }
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
