using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Removes jobs whose retention has passed (<see cref="JobOptions.Retention"/> after completion): rows and files. With a
/// shared store a job may be deleted through another node; the files this node still holds for it go at the next sweep
/// (a folder the store does not know and no upload can still be filling: older than the longest upload allowed).
/// </summary>
internal sealed partial class JobSweeper(
    IJobStore store, JobSpool spool, IOptions<JobOptions> options, IOptions<HostLimitsOptions> limits, TimeProvider time, ILogger<JobSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.IsAvailable)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            await SweepAsync();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public async Task<int> SweepAsync()
    {
        IReadOnlyList<string> expired = store.ExpiredBy(time.GetUtcNow());
        foreach (string jobId in expired)
        {
            await store.DeleteAsync(jobId);
            spool.DeleteJob(jobId);
        }

        DateTimeOffset uploadsStartedBefore = time.GetUtcNow() - limits.Value.BatchUploadTimeout - TimeSpan.FromMinutes(1);
        int orphans = 0;
        foreach (string jobId in spool.JobFoldersUnchangedSince(uploadsStartedBefore))
        {
            if (store.Find(jobId) is null)
            {
                spool.DeleteJob(jobId);
                orphans++;
            }
        }

        if (expired.Count + orphans > 0)
        {
            LogSwept(logger, expired.Count, orphans);
        }

        return expired.Count + orphans;
    }

    [LoggerMessage(1, LogLevel.Information, "Removed {Count} expired jobs and the files of {Deleted} jobs deleted elsewhere")]
    private static partial void LogSwept(ILogger logger, int count, int deleted);
}
