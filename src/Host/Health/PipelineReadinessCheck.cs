using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MusicClassification.Host.Health;

/// <summary>
/// Ready when the pipeline can analyse every format it promises: FFmpeg found and runnable (compressed songs need it) and,
/// when a models folder is configured, the MusiCNN models loaded. The answer names no path.
/// </summary>
internal sealed class PipelineReadinessCheck(MusicClassificationPipeline pipeline, IConfiguration configuration) : IHealthCheck
{
    public const string Tag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        Decoding.DecoderStatus decoders = await pipeline.GetDecoderStatusAsync(cancellationToken);
        data["ffmpeg"] = decoders.FfmpegAvailable;
        if (!decoders.FfmpegAvailable)
        {
            return HealthCheckResult.Unhealthy("FFmpeg is not available: compressed songs would fail with decoder_missing.", data: data);
        }

        bool wantsModels = configuration[$"{Classification.MusiCnn.MusiCnnOptions.SectionName}:{nameof(Classification.MusiCnn.MusiCnnOptions.ModelsPath)}"] is { Length: > 0 };
        bool hasModels = pipeline.Models.Any(m => m.Name.Contains("musicnn", StringComparison.OrdinalIgnoreCase));
        data["musicnn"] = hasModels;
        return wantsModels && !hasModels
            ? HealthCheckResult.Unhealthy("The configured MusiCNN models are not loaded.", data: data)
            : HealthCheckResult.Healthy(data: data);
    }
}
