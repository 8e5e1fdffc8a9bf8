using MusicClassification.Diagnostics;
using OpenTelemetry.Metrics;

namespace MusicClassification.Host.Hosting;

/// <summary>OpenTelemetry metrics with a Prometheus scrape endpoint: the pipeline's meter, ASP.NET Core's and the runtime's.</summary>
internal static class Telemetry
{
    /// <summary>Bucket bounds in seconds for song and stage durations (OpenTelemetry's defaults are for milliseconds).</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    public static IServiceCollection AddHostTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PipelineInstruments.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting", "System.Runtime")
            .AddView(PipelineInstruments.StageDuration, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets })
            .AddView(PipelineInstruments.SongDuration, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets })
            .AddPrometheusExporter());
        return services;
    }
}
