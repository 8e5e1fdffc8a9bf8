using MusicClassification.Host.Jobs;

namespace MusicClassification.Host.Performance;

/// <summary>An API node's part of <c>/performance</c>: its jobs by state and its job spool; null while its store is unavailable.</summary>
internal sealed class JobsReport(IJobStore store, JobSpool spool)
{
    public JobStats? Report() => store.IsAvailable ? new JobStats(store.CountByState(), spool.Files.BytesInUse, spool.Files.Capacity) : null;
}
