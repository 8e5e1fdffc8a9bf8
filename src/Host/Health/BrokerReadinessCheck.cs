using Microsoft.Extensions.Diagnostics.HealthChecks;
using MusicClassification.Host.Scaling;

namespace MusicClassification.Host.Health;

/// <summary>For the <c>Api</c> and <c>Worker</c> roles: ready only while the broker is reachable (its address is not shown).</summary>
internal sealed class BrokerReadinessCheck(BrokerConnection broker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["broker"] = broker.IsOpen };
        return Task.FromResult(broker.IsOpen
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy("The message broker is not reachable; the connection is being recovered.", data: data));
    }
}
