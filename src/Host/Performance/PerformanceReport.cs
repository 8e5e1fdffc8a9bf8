namespace MusicClassification.Host.Performance;

/// <summary>What <c>GET /performance</c> answers: the service's load, throughput, latency and resources right now.</summary>
/// <param name="UptimeSeconds">Seconds since the host started.</param>
/// <param name="Requests">HTTP requests served.</param>
/// <param name="Songs">Songs finished and the rate they finish at.</param>
/// <param name="LatencySeconds">Percentiles over the most recent songs (up to 2048 per stage): <c>decode</c>, <c>features</c>, <c>classify</c> and <c>end_to_end</c> (admission to result).</param>
/// <param name="Pipeline">The shared pipeline right now.</param>
/// <param name="Sizing">The CPU and memory the process may use and what was derived from them, each with its source.</param>
/// <param name="Spool">Uploads on disk (requests in progress).</param>
/// <param name="Jobs">Durable jobs by state and the bytes of their songs waiting on disk; absent on a worker (no job store).</param>
/// <param name="Process">Memory and CPU of the host process.</param>
internal sealed record PerformanceReport(
    double UptimeSeconds,
    RequestStats Requests,
    SongStats Songs,
    IReadOnlyDictionary<string, LatencySummary> LatencySeconds,
    PipelineStats Pipeline,
    PipelineSizing Sizing,
    SpoolStats Spool,
    JobStats? Jobs,
    ProcessStats Process);

/// <param name="ByState">Jobs per state (<c>queued</c>, <c>running</c>, <c>completed</c>, <c>cancelled</c>).</param>
/// <param name="SpoolBytes">Bytes of job songs waiting on disk.</param>
/// <param name="SpoolCapacityBytes">The most the job spool may hold.</param>
internal sealed record JobStats(IReadOnlyDictionary<string, int> ByState, long SpoolBytes, long SpoolCapacityBytes);

/// <param name="Total">Requests answered since start (every endpoint).</param>
/// <param name="PerSecond1m">Mean requests per second over the last minute.</param>
/// <param name="PerSecond5m">Mean requests per second over the last five minutes.</param>
internal sealed record RequestStats(long Total, double PerSecond1m, double PerSecond5m);

/// <param name="Succeeded">Songs analysed since start.</param>
/// <param name="Failed">Songs failed since start.</param>
/// <param name="Failures">Failed songs by error code.</param>
/// <param name="PerSecond1m">Songs finished per second over the last minute.</param>
/// <param name="PerSecond5m">Songs finished per second over the last five minutes.</param>
/// <param name="AudioSecondsPerSecond1m">Seconds of audio analysed per second over the last minute.</param>
/// <param name="AudioSecondsPerSecond5m">Seconds of audio analysed per second over the last five minutes.</param>
internal sealed record SongStats(
    long Succeeded, long Failed, IReadOnlyDictionary<string, long> Failures, double PerSecond1m, double PerSecond5m, double AudioSecondsPerSecond1m, double AudioSecondsPerSecond5m);

/// <param name="MaxDegreeOfParallelism">Workers per stage.</param>
/// <param name="BusyWorkers">Workers busy now, per stage.</param>
/// <param name="QueueDepth">Songs admitted and waiting for a decode worker.</param>
/// <param name="InFlight">Songs inside the stages.</param>
/// <param name="OpenBatches">Batch requests in progress.</param>
/// <param name="SongsWorking">Songs inside a stage now (their deadline clocks run at the CPU share each gets).</param>
/// <param name="SongsWaitingForMemory">Songs waiting for the memory budget before their decoding starts.</param>
/// <param name="MemoryReservedBytes">Bytes of the memory budget songs hold now.</param>
/// <param name="MemoryBudgetBytes">The memory budget for songs between decoding and features.</param>
/// <param name="InteractiveSongs">Single songs someone is waiting for, between their start and their result.</param>
/// <param name="SongsSteppingAside">Batch songs waiting inside a stage for those single songs (their timeouts paused).</param>
internal sealed record PipelineStats(
    int MaxDegreeOfParallelism,
    IReadOnlyDictionary<string, long> BusyWorkers,
    long QueueDepth,
    long InFlight,
    int OpenBatches,
    int SongsWorking,
    int SongsWaitingForMemory,
    long MemoryReservedBytes,
    long MemoryBudgetBytes,
    int InteractiveSongs,
    int SongsSteppingAside);

/// <param name="Bytes">Bytes of uploads on disk now.</param>
/// <param name="CapacityBytes">The most the spool may hold.</param>
internal sealed record SpoolStats(long Bytes, long CapacityBytes);

/// <param name="ResidentBytes">Resident set size now.</param>
/// <param name="PeakResidentBytes">Highest resident set size since start (Linux), else null.</param>
/// <param name="GcHeapBytes">Managed heap size after the last collection.</param>
/// <param name="GcCollections">Collections so far, per generation (0, 1, 2).</param>
/// <param name="CpuSeconds">CPU time used since start.</param>
/// <param name="CpuCoresUsed1m">CPU seconds per second over the last minute (1.0 = one core busy).</param>
/// <param name="ProcessorCount">Cores available to the process.</param>
internal sealed record ProcessStats(
    long ResidentBytes, long? PeakResidentBytes, long GcHeapBytes, IReadOnlyList<int> GcCollections, double CpuSeconds, double CpuCoresUsed1m, int ProcessorCount);
