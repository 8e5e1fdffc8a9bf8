using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MusicClassification.Host.Batches;
using MusicClassification.Host.Health;
using MusicClassification.Host.Jobs;
using MusicClassification.Host.Performance;
using MusicClassification.Host.Uploads;

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

    private static PerformanceReport GetPerformance(
        PerformanceMonitor monitor, MusicClassificationPipeline pipeline, BatchAdmission batches, UploadSpool spool, IServiceProvider services, TimeProvider time)
    {
        IReadOnlyDictionary<string, long> failures = monitor.Failures;
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        PipelineLoad load = pipeline.Load;
        string[] stages = ["decode", "features", "classify"];
        return new PerformanceReport(
            Math.Round((time.GetUtcNow() - monitor.Started).TotalSeconds, 1),
            new RequestStats(monitor.RequestsTotal, Round(monitor.Requests.PerSecond(60)), Round(monitor.Requests.PerSecond(300))),
            new SongStats(
                monitor.Succeeded,
                failures.Values.Sum(),
                failures,
                Round(monitor.Songs.PerSecond(60)),
                Round(monitor.Songs.PerSecond(300)),
                Round(monitor.Audio.PerSecond(60)),
                Round(monitor.Audio.PerSecond(300))),
            new Dictionary<string, LatencySummary>
            {
                ["decode"] = monitor.Latency("decode"),
                ["features"] = monitor.Latency("features"),
                ["classify"] = monitor.Latency("classify"),
                ["end_to_end"] = monitor.Latency("end_to_end"),
            },
            new PipelineStats(
                pipeline.Sizing.MaxDegreeOfParallelism,
                stages.ToDictionary(s => s, monitor.Busy),
                monitor.QueueDepth,
                monitor.InFlight,
                batches.Open,
                load.SongsWorking,
                load.SongsWaitingForMemory,
                load.MemoryReservedBytes,
                pipeline.Sizing.MemoryBudgetBytes,
                load.InteractiveSongs,
                load.SongsSteppingAside),
            pipeline.Sizing,
            new SpoolStats(spool.BytesInUse, spool.Capacity),
            JobsOf(services),
            new ProcessStats(
                Environment.WorkingSet,
                PeakResidentBytes(),
                gc.HeapSizeBytes,
                [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)],
                Math.Round(Environment.CpuUsage.TotalTime.TotalSeconds, 2),
                Round(monitor.Cpu.PerSecond(60)),
                Environment.ProcessorCount));
    }

    private static double Round(double value) => Math.Round(value, 3);

    /// <summary>The job store's counts where this node's role keeps jobs and the store opened (a worker has none).</summary>
    private static JobStats? JobsOf(IServiceProvider services)
    {
        if (services.GetService<IJobStore>() is not { IsAvailable: true } store)
        {
            return null;
        }

        JobSpool spool = services.GetRequiredService<JobSpool>();
        return new JobStats(store.CountByState(), spool.Files.BytesInUse, spool.Files.Capacity);
    }

    /// <summary>VmHWM from /proc/self/status: the kernel's own high-water mark of the resident set.</summary>
    private static long? PeakResidentBytes()
    {
        const string StatusPath = "/proc/self/status";
        if (!OperatingSystem.IsLinux() || !File.Exists(StatusPath))
        {
            return null;
        }

        foreach (string line in File.ReadLines(StatusPath))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), out long kib))
            {
                return kib * 1024;
            }
        }

        return null;
    }
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
