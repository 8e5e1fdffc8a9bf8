using Microsoft.Extensions.Options;
using MusicClassification.Decoding;

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
        DecoderStatus decoders = await pipeline.GetDecoderStatusAsync(cancellationToken);
        return new ServiceInfo(
            new PipelineSettings(
                options.MaxDegreeOfParallelism,
                options.BoundedCapacity,
                options.SongTimeout.TotalSeconds,
                options.Decoding.AnalysisSampleRate,
                options.Decoding.Window.ToString(),
                options.Decoding.WindowLength.TotalSeconds,
                options.Decoding.MaxDuration.TotalSeconds,
                limits.Value.MaxUploadBytes),
            decoders,
            pipeline.Models,
            [
                "duration", "sample_rate", "channels", "rms_dbfs", "peak_dbfs", "loudness_lufs", "loudness_range_lu",
                "true_peak_dbtp", "tempo_bpm", "key", "mode", "spectral", "gtzan_features (57 columns, ?features=true)",
            ]);
    }

    internal sealed record ServiceInfo(
        PipelineSettings Pipeline, DecoderStatus Decoders, IReadOnlyList<Classification.ModelDescription> Models, IReadOnlyList<string> Features);

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
