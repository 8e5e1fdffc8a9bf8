using Microsoft.Extensions.Logging;

namespace MusicClassification.Diagnostics;

/// <summary>Every log line the pipeline writes, source-generated so a disabled level costs nothing.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Song {SongId} failed in {Stage} with {ErrorCode}: {Message} {Detail}")]
    public static partial void SongFailed(ILogger logger, string songId, PipelineStage stage, string errorCode, string message, string? detail);

    [LoggerMessage(2, LogLevel.Error, "Song {SongId} hit an unexpected error in {Stage}")]
    public static partial void UnexpectedStageError(ILogger logger, string songId, PipelineStage stage, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Pipeline created: parallelism {Parallelism} ({ParallelismSource}), {Cpus} CPU ({CpuSource}), memory budget {BudgetMiB} MiB for songs of {SongMiB} MiB, batch capacity {Capacity}, song timeout {Timeout} of work")]
    public static partial void PipelineCreated(ILogger logger, int parallelism, string parallelismSource, double cpus, string cpuSource, long budgetMiB, long songMiB, int capacity, TimeSpan timeout);

    [LoggerMessage(4, LogLevel.Warning, "A stage ignored cancellation of song {SongId} in {Stage}; its late result was discarded")]
    public static partial void StageIgnoredCancellation(ILogger logger, string songId, PipelineStage stage);

    [LoggerMessage(5, LogLevel.Warning, "FFmpeg is not available, so compressed songs (MP3, AAC, FLAC, Ogg, Opus) will fail with decoder_missing; WAV still works. {Problem}")]
    public static partial void FfmpegMissing(ILogger logger, string problem);

    [LoggerMessage(7, LogLevel.Warning, "Song {SongId} ran out of memory in {Stage}; it waited until no other song was working and tries once more")]
    public static partial void SongRetriedForMemory(ILogger logger, string songId, PipelineStage stage);

    [LoggerMessage(6, LogLevel.Information, "FFmpeg {Version} found at {Path}")]
    public static partial void FfmpegFound(ILogger logger, string path, string version);
}
