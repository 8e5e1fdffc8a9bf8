namespace MusicClassification;

/// <summary>What a pipeline holds right now, for a service's statistics.</summary>
/// <param name="SongsWorking">Songs inside a stage (their deadline clocks run, at the CPU share each gets).</param>
/// <param name="SongsWaitingForMemory">Songs waiting for the memory budget before their decoding starts.</param>
/// <param name="MemoryReservedBytes">Bytes of <see cref="PipelineSizing.MemoryBudgetBytes"/> that songs hold.</param>
/// <param name="InteractiveSongs">Songs someone is waiting for (<see cref="SongPriority.Interactive"/>) between their start and their result.</param>
/// <param name="SongsSteppingAside">Batch songs waiting inside a stage for interactive songs to finish (their deadline clocks stopped).</param>
public readonly record struct PipelineLoad(int SongsWorking, int SongsWaitingForMemory, long MemoryReservedBytes, int InteractiveSongs, int SongsSteppingAside);
