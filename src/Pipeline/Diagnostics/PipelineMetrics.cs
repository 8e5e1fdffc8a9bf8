using System.Diagnostics.Metrics;

namespace MusicClassification.Diagnostics;

/// <summary>The library's one static <see cref="Meter"/> and its instruments; recording costs next to nothing when nobody listens.</summary>
internal static class PipelineMetrics
{
    private static readonly Meter Meter = new(PipelineInstruments.MeterName, typeof(PipelineMetrics).Assembly.GetName().Version?.ToString());

    private static readonly KeyValuePair<string, object?> DecodeTag = new(PipelineInstruments.StageTag, "decode");
    private static readonly KeyValuePair<string, object?> FeaturesTag = new(PipelineInstruments.StageTag, "features");
    private static readonly KeyValuePair<string, object?> ClassifyTag = new(PipelineInstruments.StageTag, "classify");

    public static readonly Counter<long> SongsStarted =
        Meter.CreateCounter<long>(PipelineInstruments.SongsStarted, "{song}", "Songs admitted to the pipeline.");

    public static readonly Counter<long> SongsSucceeded =
        Meter.CreateCounter<long>(PipelineInstruments.SongsSucceeded, "{song}", "Songs analysed successfully.");

    public static readonly Counter<long> SongsFailed =
        Meter.CreateCounter<long>(PipelineInstruments.SongsFailed, "{song}", "Songs that failed, by error code.");

    public static readonly UpDownCounter<long> SongsInFlight =
        Meter.CreateUpDownCounter<long>(PipelineInstruments.SongsInFlight, "{song}", "Songs inside the stages.");

    public static readonly UpDownCounter<long> QueueDepth =
        Meter.CreateUpDownCounter<long>(PipelineInstruments.QueueDepth, "{song}", "Admitted songs waiting for a decode worker.");

    public static readonly UpDownCounter<long> WorkersBusy =
        Meter.CreateUpDownCounter<long>(PipelineInstruments.WorkersBusy, "{worker}", "Stage workers currently busy.");

    public static readonly Histogram<double> StageDuration =
        Meter.CreateHistogram<double>(PipelineInstruments.StageDuration, "s", "Time one song spent in one stage.");

    public static readonly Histogram<double> SongDuration =
        Meter.CreateHistogram<double>(PipelineInstruments.SongDuration, "s", "Time from a song's admission to its result.");

    public static readonly Counter<double> AudioProcessed =
        Meter.CreateCounter<double>(PipelineInstruments.AudioProcessed, "s", "Seconds of decoded audio analysed.");

    public static readonly KeyValuePair<string, object?> SucceededTag = new(PipelineInstruments.StatusTag, "succeeded");

    public static readonly KeyValuePair<string, object?> FailedTag = new(PipelineInstruments.StatusTag, "failed");

    public static KeyValuePair<string, object?> Tag(PipelineStage stage) => stage switch
    {
        PipelineStage.Decode => DecodeTag,
        PipelineStage.Features => FeaturesTag,
        _ => ClassifyTag,
    };

    public static void RecordFailure(SongErrorCode code) =>
        SongsFailed.Add(1, new KeyValuePair<string, object?>(PipelineInstruments.ErrorCodeTag, code.ToWireName()));
}
