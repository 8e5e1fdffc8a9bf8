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
using MusicClassification.Host.Problems;
using MusicClassification.Host.Scaling;
using MusicClassification.Host.Security;
using MusicClassification.Host.Uploads;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

// Every refusal carries a code (docs/errors.md), also those the framework writes: routing, binding, status pages, 500s.
builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = HostProblems.AddMissingCode);
builder.Services.AddOpenApi(openApi => openApi.DescribeMetrics());
builder.Services.ConfigureHttpJsonOptions(json => SongResultJson.Configure(json.SerializerOptions));

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
builder.Services.AddApiKeys();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<UploadSpool>();
builder.Services.AddSingleton<BatchAdmission>();
builder.Services.AddSingleton<PerformanceMonitor>();
builder.Services.AddSingleton<PerformanceReporter>();
builder.Services.AddHostedService(services => services.GetRequiredService<PerformanceMonitor>());

// The role decides who analyses job songs: this process (All), the workers behind the broker (Api), or this process
// for songs from the broker (Worker).
HostRole role = StartupChecks.RoleOf(builder.Configuration);
builder.Services.AddHostRole(role);

builder.Services.AddOptions<HostOptions>().Configure<IOptions<JobOptions>>((host, jobs) =>
    host.ShutdownTimeout = jobs.Value.ShutdownGracePeriod + TimeSpan.FromSeconds(20));
builder.Services.AddHealthChecks().AddCheck<PipelineReadinessCheck>("pipeline", tags: [PipelineReadinessCheck.Tag]);
builder.Services.AddKestrelLimits();
builder.Services.AddHostRateLimits();
builder.Services.AddHostTelemetry(builder.Configuration);

WebApplication app = builder.Build();

// Start-up checks: options (every invalid setting listed, exit code 1), the pipeline (models, FFmpeg warning) and a
// private, swept spool; a failure here is one clear message, not a stack trace.
if (StartupChecks.InvalidSettings(app.Services, builder.Configuration) is { Count: > 0 } invalid)
{
    Environment.ExitCode = StartupChecks.Refuse(app.Logger, invalid);
    return;
}

try
{
    // Every configured classifier is loaded here: a models folder that cannot be loaded stops the host with its reason.
    app.Services.GetRequiredService<MusicClassificationPipeline>();
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    Environment.ExitCode = StartupChecks.Refuse(app.Logger, [$"The pipeline could not be created: {ex.Message}"]);
    return;
}

try
{
    app.Services.GetRequiredService<UploadSpool>().Prepare();
    app.OpenJobs(role);
}
catch (Exception ex) when (ex is OptionsValidationException or IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
{
    Environment.ExitCode = StartupChecks.Refuse(app.Logger, [ex.Message]);
    return;
}

// A value that does not bind (?after=abc) is the client's error in every environment: 400 with a code, not 500.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.Use((context, next) =>
{
    // Set as the response starts, so answers the exception handler rewrites (it clears headers) carry it too.
    context.Response.OnStarting(static state =>
    {
        ((HttpResponse)state).Headers.XContentTypeOptions = "nosniff";
        return Task.CompletedTask;
    }, context.Response);
    return next(context);
});
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapOps();
app.MapPrometheusScrapingEndpoint(MetricsDocs.Path);
app.MapHostRole(role);
Environment.ExitCode = RunOrExplain(app);

// A port already in use is the operator's to fix: one line, exit code 1.
static int RunOrExplain(WebApplication app)
{
    try
    {
        app.Run();
        return 0;
    }
    catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
    {
        Console.Error.WriteLine($"The service cannot start: {ex.Message}");
        return 1;
    }
}

/// <summary>The host's entry point, public so integration tests can start it.</summary>
public partial class Program;
