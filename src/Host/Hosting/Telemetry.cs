using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MusicClassification.Host.Hosting;

/// <summary>
/// OpenTelemetry: metrics with a Prometheus scrape endpoint (the pipeline's meter, ASP.NET Core's and the runtime's), and
/// traces (each request's span with its songs' and their stages' spans under it), exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OpenTelemetry variable; <c>OTEL_SERVICE_NAME</c> names the node).
/// </summary>
internal static class Telemetry
{
    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Bucket bounds in seconds for song and stage durations (OpenTelemetry's defaults are for milliseconds).</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    public static IServiceCollection AddHostTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        bool otlp = configuration[OtlpEndpoint] is { Length: > 0 };
        services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.AddSource(PipelineInstruments.ActivitySourceName, HostTracing.SourceName, "Microsoft.AspNetCore");
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics => metrics
            .AddMeter(PipelineInstruments.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting", "System.Runtime")
            .AddView(PipelineInstruments.StageDuration, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets })
            .AddView(PipelineInstruments.SongDuration, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets })
            .AddPrometheusExporter());
        return services;
    }
}
