using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Jobs;

/// <summary>Removes jobs whose retention has passed (<see cref="JobOptions.Retention"/> after completion): rows and files.</summary>
internal sealed partial class JobSweeper(IJobStore store, JobSpool spool, IOptions<JobOptions> options, TimeProvider time, ILogger<JobSweeper> logger) : BackgroundService
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

        if (expired.Count > 0)
        {
            LogSwept(logger, expired.Count);
        }

        return expired.Count;
    }

    [LoggerMessage(1, LogLevel.Information, "Removed {Count} expired jobs")]
    private static partial void LogSwept(ILogger logger, int count);
}
