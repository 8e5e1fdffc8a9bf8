namespace MusicClassification;

/// <summary>
/// What a pipeline was sized by and to: the CPU and memory the process may use (from its container's cgroup, or the
/// machine), and the parallelism, memory budget and buffer pool derived from them where the options left them unset.
/// Each value says where it came from, so a service can show it (<c>/model_info</c>, <c>/performance</c>).
/// </summary>
public sealed record PipelineSizing
{
    /// <summary>Gets the processors' worth of CPU time the process may use (0.5 for a half-core quota).</summary>
    public required double Cpus { get; init; }

    /// <summary>Gets where <see cref="Cpus"/> came from: a cgroup file, or <c>processor count</c>.</summary>
    public required string CpuSource { get; init; }

    /// <summary>Gets the memory, in bytes, the process may use (its container's limit, or the machine's memory).</summary>
    public required long MemoryBytes { get; init; }

    /// <summary>Gets where <see cref="MemoryBytes"/> came from: a cgroup file, or <c>machine memory</c>.</summary>
    public required string MemorySource { get; init; }

    /// <summary>Gets the most the managed heap may grow to (the GC's hard limit where one is set), in bytes.</summary>
    public required long ManagedHeapLimitBytes { get; init; }

    /// <summary>Gets how many songs each stage works on at once.</summary>
    public required int MaxDegreeOfParallelism { get; init; }

    /// <summary>Gets where <see cref="MaxDegreeOfParallelism"/> came from: <c>configured</c>, or the rule that derived it.</summary>
    public required string ParallelismSource { get; init; }

    /// <summary>
    /// Gets the bytes that songs between the start of their decoding and the end of their feature extraction may reserve
    /// together; a song whose reservation does not fit waits before it starts (its deadline does not run meanwhile).
    /// </summary>
    public required long MemoryBudgetBytes { get; init; }

    /// <summary>Gets the bytes one song reserves from <see cref="MemoryBudgetBytes"/>: its decoded window and the analysis's working memory.</summary>
    public required long BytesPerSong { get; init; }

    /// <summary>Gets how many songs may be between the start of their decoding and the end of their features at once (each stage's own capacity).</summary>
    public required int MaxSongsInFlight { get; init; }

    /// <summary>
    /// Gets how many songs of one caller may be in flight at once. With a CPU or less, the parallelism (one): a batch's
    /// songs only take turns on the CPU there, while a single song sent meanwhile starts beside it at once.
    /// </summary>
    public required int MaxSongsInFlightPerCaller { get; init; }

    /// <summary>Gets the most the buffer pool keeps in idle buffers, in MiB.</summary>
    public required int BufferPoolLimitMegabytes { get; init; }

    /// <summary>Gets where <see cref="BufferPoolLimitMegabytes"/> came from.</summary>
    public required string BufferPoolSource { get; init; }
}
