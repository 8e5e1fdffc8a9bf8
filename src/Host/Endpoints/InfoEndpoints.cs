using Microsoft.Extensions.Options;

namespace MusicClassification.Host.Endpoints;

/// <summary>Service information: pipeline settings and decoder availability.</summary>
internal static class InfoEndpoints
{
    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/model_info", GetInfoAsync)
            .WithTags("Operations")
            .WithSummary("Pipeline settings, decoders and (when configured) models.");
        return routes;
    }

    private static async Task<ServiceInfo> GetInfoAsync(
        MusicClassificationPipeline pipeline, IOptions<HostLimitsOptions> limits, CancellationToken cancellationToken)
    {
        PipelineOptions options = pipeline.Options;
        DecoderStatus status = await pipeline.GetDecoderStatusAsync(cancellationToken);

        // Where FFmpeg lives and why it failed are for the operator's log, not for every client.
        var decoders = new Decoders(status.FfmpegAvailable, status.FfmpegVersion, status.FfmpegBuild);
        return new ServiceInfo(
            new PipelineSettings(
                pipeline.Sizing.MaxDegreeOfParallelism,
                options.BoundedCapacity,
                options.SongTimeout.TotalSeconds,
                options.Decoding.AnalysisSampleRate,
                options.Decoding.Window.ToString(),
                options.Decoding.WindowLength.TotalSeconds,
                options.Decoding.MaxDuration.TotalSeconds,
                limits.Value.MaxUploadBytes),
            decoders,
            new ClientLimits(
                limits.Value.MaxUploadBytes,
                limits.Value.MaxBatchBytes,
                limits.Value.MaxSongsPerBatch,
                limits.Value.RequestsPerMinutePerClient,
                limits.Value.MaxConcurrentBatchesPerClient),
            pipeline.Models,
            pipeline.Sizing,
            [
                "duration", "sample_rate", "channels", "rms_dbfs", "peak_dbfs", "loudness_lufs", "loudness_range_lu",
                "true_peak_dbtp", "tempo_bpm", "key", "mode", "spectral", "gtzan_features (57 columns, ?features=true)",
            ]);
    }

    /// <param name="FfmpegAvailable">Whether compressed formats can be decoded.</param>
    /// <param name="FfmpegVersion">The FFmpeg version in use.</param>
    /// <param name="FfmpegBuild"><c>lean</c> (only the accepted formats compiled in, no start-up cost) or <c>full</c>.</param>
    internal sealed record Decoders(bool FfmpegAvailable, string? FfmpegVersion, string? FfmpegBuild)
    {
        public string Decoder => FfmpegAvailable ? $"ffmpeg {FfmpegVersion} ({FfmpegBuild})" : "managed wav only";

        public string[] Formats => FfmpegAvailable
            ? ["wav", "rf64", "mp3", "aac", "m4a", "flac", "ogg/vorbis", "ogg/opus", "aiff", "matroska", "asf"]
            : ["wav (pcm, float)"];
    }

    /// <summary>What a client needs to split a library into batches the service accepts.</summary>
    internal sealed record ClientLimits(
        long MaxUploadBytes, long MaxBatchBytes, int MaxSongsPerBatch, int RequestsPerMinute, int ConcurrentBatches);

    /// <param name="Pipeline">The pipeline's settings in force.</param>
    /// <param name="Decoders">The decoders and the formats they take.</param>
    /// <param name="Limits">What a client needs to split a library into batches the service accepts.</param>
    /// <param name="Models">The models run on every song.</param>
    /// <param name="Sizing">The CPU and memory the process may use and what was derived from them, each with its source.</param>
    /// <param name="Features">The descriptors each result carries.</param>
    internal sealed record ServiceInfo(
        PipelineSettings Pipeline,
        Decoders Decoders,
        ClientLimits Limits,
        IReadOnlyList<Classification.ModelDescription> Models,
        PipelineSizing Sizing,
        IReadOnlyList<string> Features);

    internal sealed record PipelineSettings(
        int MaxDegreeOfParallelism,
        int BoundedCapacity,
        double SongTimeoutSeconds,
        int AnalysisSampleRate,
        string Window,
        double WindowSeconds,
        double MaxDurationSeconds,
        long MaxUploadBytes);
}
