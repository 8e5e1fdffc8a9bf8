using System.Globalization;
using MusicClassification.Decoding;

namespace MusicClassification.Sizing;

/// <summary>
/// Derives what the options leave unset from the CPU and memory the process has, so the same defaults serve a
/// 0.5 CPU / 512 MB container and a 16-core machine. Pure: the machine's view comes in as <see cref="MachineView"/>.
/// </summary>
internal static class SizingRules
{
    /// <summary>
    /// A song's working memory (the tempo's onset functions, fed from the decode on; spectra and chroma in the feature
    /// stage) against its decoded window: measured 1.5–2×.
    /// </summary>
    private const int WorkingMemoryPerWindow = 2;

    private const int MaxParallelism = 64;
    private const int MaxPoolMegabytes = 256;

    /// <summary>The view of this process: its cgroup's limits, the runtime's processor count and the GC's memory limit.</summary>
    public static MachineView CurrentMachine()
    {
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        return new MachineView(ContainerLimits.Read(), Environment.ProcessorCount, gc.TotalAvailableMemoryBytes);
    }

    /// <summary>The sizing for <paramref name="options"/> on <paramref name="machine"/>.</summary>
    public static PipelineSizing Derive(PipelineOptions options, MachineView machine)
    {
        ContainerLimits limits = machine.Limits;
        double cpus = Math.Min(limits.Cpus ?? machine.ProcessorCount, machine.ProcessorCount);
        string cpuSource = limits.Cpus is double quota && quota < machine.ProcessorCount ? limits.CpuSource! : "processor count";
        long managed = machine.ManagedHeapLimitBytes;
        long memory = limits.MemoryBytes ?? managed;
        string memorySource = limits.MemoryBytes is null ? "machine memory (GC)" : limits.MemorySource!;

        // Half the managed heap for songs in flight; the rest is the pool's idle buffers, uploads, the host and models.
        long budget = Math.Max(64L << 20, managed / 2);
        long perSong = BytesPerSong(options.Decoding);

        int parallelism;
        string parallelismSource;
        if (options.MaxDegreeOfParallelism is int configured)
        {
            (parallelism, parallelismSource) = (configured, "configured");
        }
        else
        {
            int byCpu = Math.Clamp((int)Math.Ceiling(cpus - 1e-9), 1, MaxParallelism);

            // Each worker has a song in decoding and one in features at most; more workers than the budget holds would only wait.
            int byMemory = (int)Math.Clamp(budget / (2 * perSong), 1, MaxParallelism);
            parallelism = Math.Min(byCpu, byMemory);
            parallelismSource = string.Create(CultureInfo.InvariantCulture, $"derived: {byCpu} by CPU ({cpus:0.##}), {byMemory} by memory budget");
        }

        int pool;
        string poolSource;
        if (options.BufferPoolLimitMegabytes is int poolConfigured)
        {
            (pool, poolSource) = (poolConfigured, "configured");
        }
        else
        {
            pool = (int)Math.Clamp(managed / 4 / (1 << 20), 16, MaxPoolMegabytes);
            poolSource = "derived: a quarter of the managed heap, at most 256 MiB";
        }

        return new PipelineSizing
        {
            Cpus = Math.Round(cpus, 3),
            CpuSource = cpuSource,
            MemoryBytes = memory,
            MemorySource = memorySource,
            ManagedHeapLimitBytes = managed,
            MaxDegreeOfParallelism = parallelism,
            ParallelismSource = parallelismSource,
            MemoryBudgetBytes = budget,

            // Each stage's own capacity: decode (P) and features (P + DecodedCapacity).
            MaxSongsInFlight = (2 * parallelism) + options.DecodedCapacity,
            MaxSongsInFlightPerCaller = cpus <= 1 ? parallelism : (2 * parallelism) + options.DecodedCapacity,
            BytesPerSong = Math.Min(perSong, budget),
            BufferPoolLimitMegabytes = pool,
            BufferPoolSource = poolSource,
        };
    }

    /// <summary>The decoded window (mono float at the analysis rate) and the analysis's working memory beside it.</summary>
    public static long BytesPerSong(DecodingOptions decoding)
    {
        TimeSpan longest = decoding.Window == AnalysisWindow.WholeTrack || decoding.WindowLength > decoding.MaxDuration
            ? decoding.MaxDuration
            : decoding.WindowLength;
        long window = (long)Math.Ceiling(longest.TotalSeconds * decoding.AnalysisSampleRate) * sizeof(float);
        return window * (1 + WorkingMemoryPerWindow);
    }
}

/// <summary>What the process can see of its machine: cgroup limits, the runtime's processor count, the GC's memory limit.</summary>
internal sealed record MachineView(ContainerLimits Limits, int ProcessorCount, long ManagedHeapLimitBytes);
