using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MusicClassification.Host.Batches;
using MusicClassification.Host.Health;
using MusicClassification.Host.Performance;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Endpoints;

/// <summary>Operational endpoints: liveness, readiness and <c>/performance</c>.</summary>
internal static class OpsEndpoints
{
    public static IEndpointRouteBuilder MapOps(this IEndpointRouteBuilder routes)
    {
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains(PipelineReadinessCheck.Tag) };
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Operations").WithSummary("Liveness: the process answers.").DisableRateLimiting();
        routes.MapHealthChecks("/health/ready", ready)
            .WithTags("Operations").WithSummary("Readiness: FFmpeg and the configured models are usable (503 Unhealthy otherwise).").DisableRateLimiting();
        routes.MapHealthChecks("/health", ready)
            .WithTags("Operations").WithSummary("Same as /health/ready.").DisableRateLimiting();
        routes.MapGet("/performance", GetPerformance)
            .WithTags("Operations")
            .WithSummary("Uptime, requests, songs and throughput (1 and 5 min), per-stage latency percentiles, busy workers, queue, spool, memory and CPU.");
        return routes;
    }

    private static PerformanceReport GetPerformance(
        PerformanceMonitor monitor, MusicClassificationPipeline pipeline, BatchAdmission batches, UploadSpool spool, TimeProvider time)
    {
        IReadOnlyDictionary<string, long> failures = monitor.Failures;
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
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
                pipeline.Options.MaxDegreeOfParallelism,
                stages.ToDictionary(s => s, monitor.Busy),
                monitor.QueueDepth,
                monitor.InFlight,
                batches.Open),
            new SpoolStats(spool.BytesInUse, spool.Capacity),
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

    /// <summary>VmHWM from /proc/self/status: the kernel's own high-water mark of the resident set.</summary>
    private static long? PeakResidentBytes()
    {
        const string path = "/proc/self/status";
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
        {
            return null;
        }

        foreach (string line in File.ReadLines(path))
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
