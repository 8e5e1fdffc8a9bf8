using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MusicClassification.Host.Health;
using MusicClassification.Host.Performance;

namespace MusicClassification.Host.Endpoints;

/// <summary>Operational endpoints: liveness, readiness and <c>/performance</c>.</summary>
internal static class OpsEndpoints
{
    public static IEndpointRouteBuilder MapOps(this IEndpointRouteBuilder routes)
    {
        // The one place that says what is open: probes need no key and are never rate limited. HEAD too: load balancers
        // and probes often check with HEAD.
        RouteGroupBuilder health = routes.MapGroup("/health").WithTags("Operations").AllowAnonymous().DisableRateLimiting();
        health.MapMethods("/live", [HttpMethods.Get, HttpMethods.Head], () => TypedResults.Ok(new HealthAnswer("Healthy", null)))
            .WithSummary("Liveness: the process answers.");
        health.MapMethods("/ready", [HttpMethods.Get, HttpMethods.Head], ReadyAsync)
            .WithSummary("Readiness: FFmpeg is usable (503 Unhealthy otherwise); Degraded (200) when the job store could not be opened.");
        health.MapMethods(string.Empty, [HttpMethods.Get, HttpMethods.Head], ReadyAsync)
            .WithSummary("Same as /health/ready.");
        routes.MapGet("/performance", GetPerformance)
            .WithTags("Operations")
            .WithSummary("Uptime, requests, songs and throughput (1 and 5 min), per-stage latency percentiles, busy workers, queue, spool, memory and CPU.");
        return routes;
    }

    private static async Task<Results<Ok<HealthAnswer>, JsonHttpResult<HealthAnswer>>> ReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        HealthReport report = await health.CheckHealthAsync(check => check.Tags.Contains(PipelineReadinessCheck.Tag), cancellationToken);
        var answer = new HealthAnswer(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(e.Value.Status.ToString(), e.Value.Description, e.Value.Data)));
        return report.Status != HealthStatus.Unhealthy
            ? TypedResults.Ok(answer)
            : TypedResults.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static PerformanceReport GetPerformance(PerformanceReporter reporter) => reporter.Report();
}

/// <summary>A health answer: <c>Healthy</c>, <c>Degraded</c> (200: the node analyses songs, its jobs are off) or <c>Unhealthy</c> (503), and each check's verdict.</summary>
/// <param name="Status">The overall status.</param>
/// <param name="Checks">Each check by name, for readiness.</param>
internal sealed record HealthAnswer(string Status, IReadOnlyDictionary<string, HealthEntry>? Checks);

/// <summary>One health check's verdict.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Description">Why, when not healthy.</param>
/// <param name="Data">What the check saw (no paths).</param>
internal sealed record HealthEntry(string Status, string? Description, IReadOnlyDictionary<string, object> Data);
