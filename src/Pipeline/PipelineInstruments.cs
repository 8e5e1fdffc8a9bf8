namespace MusicClassification;

/// <summary>Names, units and tags of the pipeline's metrics and traces: the contract dashboards and tests rely on.</summary>
public static class PipelineInstruments
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every instrument belongs to.</summary>
    public const string MeterName = "MusicClassification.Pipeline";

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.ActivitySource"/> of the pipeline's spans: one <see cref="SongSpan"/>
    /// per song, from its admission to its result, a child of the caller's current span; under it one span per stage it
    /// reached (<c>decode</c>, <c>features</c>, <c>classify</c>). A failed song's span and the stage it failed in carry
    /// <see cref="ErrorCodeTag"/> and an error status.
    /// </summary>
    public const string ActivitySourceName = "MusicClassification.Pipeline";

    /// <summary>The name of a song's span.</summary>
    public const string SongSpan = "song";

    /// <summary>Tag on a song's span: its position in its batch.</summary>
    public const string SongIndexTag = "music.song.index";

    /// <summary>Counter of songs admitted to the pipeline ({song}).</summary>
    public const string SongsStarted = "music.songs.started";

    /// <summary>Counter of songs analysed successfully ({song}).</summary>
    public const string SongsSucceeded = "music.songs.succeeded";

    /// <summary>Counter of songs that failed ({song}), tagged with <see cref="ErrorCodeTag"/>.</summary>
    public const string SongsFailed = "music.songs.failed";

    /// <summary>Up-down counter of songs dispatched into the stages and not yet finished ({song}).</summary>
    public const string SongsInFlight = "music.songs.in_flight";

    /// <summary>Up-down counter of songs admitted by callers and waiting for a decode worker ({song}).</summary>
    public const string QueueDepth = "music.queue.depth";

    /// <summary>Up-down counter of stage workers currently busy ({worker}), tagged with <see cref="StageTag"/>.</summary>
    public const string WorkersBusy = "music.workers.busy";

    /// <summary>Histogram of time spent per song in one stage (s), tagged with <see cref="StageTag"/>.</summary>
    public const string StageDuration = "music.stage.duration";

    /// <summary>Histogram of time from a song's admission to its result (s), tagged with <see cref="StatusTag"/>: what a caller waits.</summary>
    public const string SongDuration = "music.song.duration";

    /// <summary>Counter of decoded audio analysed (s).</summary>
    public const string AudioProcessed = "music.audio.processed";

    /// <summary>Tag naming the stage: <c>decode</c>, <c>features</c> or <c>classify</c>.</summary>
    public const string StageTag = "stage";

    /// <summary>Tag holding a song's outcome: <c>succeeded</c> or <c>failed</c>.</summary>
    public const string StatusTag = "status";

    /// <summary>Tag holding a failure's wire code, such as <c>corrupt_audio</c>.</summary>
    public const string ErrorCodeTag = "error.code";
}
