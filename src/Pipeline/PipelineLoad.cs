namespace MusicClassification;

/// <summary>What a pipeline holds right now, for a service's statistics.</summary>
/// <param name="SongsWorking">Songs inside a stage (their deadline clocks run, at the CPU share each gets).</param>
/// <param name="SongsWaitingForMemory">Songs waiting for the memory budget before their decoding starts.</param>
/// <param name="MemoryReservedBytes">Bytes of <see cref="PipelineSizing.MemoryBudgetBytes"/> that songs hold.</param>
public readonly record struct PipelineLoad(int SongsWorking, int SongsWaitingForMemory, long MemoryReservedBytes);
