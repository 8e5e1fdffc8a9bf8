using Microsoft.Extensions.Diagnostics.HealthChecks;
using MusicClassification.Host.Jobs;

namespace MusicClassification.Host.Health;

/// <summary>
/// Degraded, not unhealthy, when the job store could not be opened: songs sent directly are still analysed, so a load
/// balancer keeps the node while the operator reads the reason in the log. The answer names no path.
/// </summary>
internal sealed class JobStoreReadinessCheck(IJobStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.IsAvailable
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("The job store could not be opened: /jobs answers 503 jobs_unavailable (the service log says why)."));
}
