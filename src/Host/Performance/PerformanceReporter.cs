using MusicClassification.Host.Batches;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Performance;

/// <summary>
/// What <c>/performance</c> answers: the process's own figures (requests, songs, latencies, pipeline load, spool,
/// memory, CPU) and what the node's role adds (an API node's jobs, <see cref="JobsReport"/>; absent on a worker).
/// </summary>
internal sealed class PerformanceReporter(
    PerformanceMonitor monitor, MusicClassificationPipeline pipeline, BatchAdmission batches, UploadSpool spool, TimeProvider time, JobsReport? jobs = null)
{
    public PerformanceReport Report()
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
            jobs?.Report(),
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
