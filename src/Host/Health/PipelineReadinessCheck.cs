using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MusicClassification.Host.Health;

/// <summary>
/// Ready when the pipeline can analyse every format it promises: FFmpeg found and runnable (compressed songs need it).
/// The models need no check here: the pipeline is built with every configured classifier loaded, or the host does not
/// start (a models folder that cannot be loaded is a start-up refusal naming it). The answer names no path.
/// </summary>
internal sealed class PipelineReadinessCheck(MusicClassificationPipeline pipeline) : IHealthCheck
{
    public const string Tag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        DecoderStatus decoders = await pipeline.GetDecoderStatusAsync(cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["ffmpeg"] = decoders.FfmpegAvailable,
            ["models"] = pipeline.Models.Count,
        };
        return decoders.FfmpegAvailable
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy("FFmpeg is not available: compressed songs would fail with decoder_missing.", data: data);
    }
}
