using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using MusicClassification;
using MusicClassification.Classification.MusiCnn;
using MusicClassification.Host;
using MusicClassification.Host.Batches;
using MusicClassification.Host.Endpoints;
using MusicClassification.Host.Health;
using MusicClassification.Host.Hosting;
using MusicClassification.Host.Jobs;
using MusicClassification.Host.Performance;
using MusicClassification.Host.Scaling;
using MusicClassification.Host.Security;
using MusicClassification.Host.Uploads;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(json =>
    json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

builder.Services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName);
builder.Services.AddMusicClassification();

// MusiCNN runs when a models folder is configured (MusiCnn:ModelsPath); its options are validated at start-up.
if (builder.Configuration[$"{MusiCnnOptions.SectionName}:{nameof(MusiCnnOptions.ModelsPath)}"] is { Length: > 0 })
{
    builder.Services.AddMusiCnn(_ => { });
    builder.Services.AddOptions<MusiCnnOptions>().BindConfiguration(MusiCnnOptions.SectionName);
}

// FFmpeg's temporary copies go into the private spool, which start-up sweeps after a crash.
builder.Services.AddOptions<PipelineOptions>().Configure<IOptions<HostLimitsOptions>>((pipeline, limits) =>
    pipeline.Decoding.TempDirectory ??= limits.Value.TempDirectory);
builder.Services.AddOptions<HostLimitsOptions>().BindConfiguration(HostLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<JobOptions>().BindConfiguration(JobOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<UploadSpool>();
builder.Services.AddSingleton<BatchAdmission>();
builder.Services.AddSingleton<PerformanceMonitor>();
builder.Services.AddHostedService(services => services.GetRequiredService<PerformanceMonitor>());
builder.Services.AddSingleton<JobStore>();
builder.Services.AddSingleton<JobSpool>();

// The role decides who analyses job songs: this process (All), the workers behind the broker (Api), or this process
// for songs from the broker (Worker).
builder.Services.AddOptions<HostRoleOptions>().BindConfiguration(HostRoleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
HostRole role = builder.Configuration.GetSection(HostRoleOptions.SectionName).Get<HostRoleOptions>()?.Role ?? HostRole.All;
if (role != HostRole.Worker)
{
    builder.Services.AddHostedService<JobSweeper>();
}

if (role == HostRole.All)
{
    builder.Services.AddSingleton<JobRunner>();
    builder.Services.AddSingleton<IJobExecutor>(services => services.GetRequiredService<JobRunner>());
    builder.Services.AddHostedService(services => services.GetRequiredService<JobRunner>());
}
else
{
    builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddSingleton<BrokerConnection>();
    builder.Services.AddHostedService(services => services.GetRequiredService<BrokerConnection>());
    builder.Services.AddHealthChecks().AddCheck<BrokerReadinessCheck>("broker", tags: [PipelineReadinessCheck.Tag]);
    if (role == HostRole.Api)
    {
        builder.Services.AddSingleton<JobDispatcher>();
        builder.Services.AddSingleton<IJobExecutor>(services => services.GetRequiredService<JobDispatcher>());
        builder.Services.AddHostedService(services => services.GetRequiredService<JobDispatcher>());
        builder.Services.AddHostedService<ResultCollector>();
    }
    else
    {
        builder.Services.AddHostedService<SongWorker>();
    }
}

builder.Services.AddOptions<HostOptions>().Configure<IOptions<JobOptions>>((host, jobs) =>
    host.ShutdownTimeout = jobs.Value.ShutdownGracePeriod + TimeSpan.FromSeconds(20));
builder.Services.AddHealthChecks().AddCheck<PipelineReadinessCheck>("pipeline", tags: [PipelineReadinessCheck.Tag]);
builder.Services.AddKestrelLimits();
builder.Services.AddHostRateLimits();
builder.Services.AddHostTelemetry();

WebApplication app = builder.Build();

// Start-up checks: options (every error listed), the pipeline (models, FFmpeg warning) and a private, swept spool.
app.Services.GetRequiredService<MusicClassificationPipeline>();
app.Services.GetRequiredService<UploadSpool>().Prepare();
if (role != HostRole.Worker)
{
    app.Services.GetRequiredService<JobStore>().Open();
    app.Services.GetRequiredService<JobSpool>().Prepare();
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.Use((context, next) =>
{
    context.Response.Headers.XContentTypeOptions = "nosniff";
    return next(context);
});
app.UseMiddleware<ApiKeyMiddleware>();
app.UseRateLimiter();

app.MapOps();
app.MapPrometheusScrapingEndpoint("/metrics");
if (role == HostRole.Worker)
{
    // A worker serves health, performance and metrics only; songs reach it through the broker.
    app.Run();
    return;
}

app.MapClassify();
app.MapJobs();
app.MapInfo();
app.MapOpenApi();
if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("OpenApi:ShowReference"))
{
    Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app, "/docs");
}

app.Run();

/// <summary>The host's entry point, public so integration tests can start it.</summary>
public partial class Program;
