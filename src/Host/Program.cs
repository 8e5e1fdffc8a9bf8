using System.Text.Json.Serialization;
using MusicClassification;
using MusicClassification.Host;
using MusicClassification.Host.Endpoints;
using MusicClassification.Host.Uploads;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddHealthChecks();
builder.Services.ConfigureHttpJsonOptions(json =>
    json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

builder.Services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName);
builder.Services.AddMusicClassification();
builder.Services.AddOptions<HostLimitsOptions>()
    .BindConfiguration(HostLimitsOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddSingleton<UploadSpooler>();

// Upload size is enforced per endpoint while spooling (with a problem-details answer), not by Kestrel's global cap.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

WebApplication app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

// Create the shared pipeline now, so that option errors and a missing FFmpeg are reported at start-up, not on the first song.
app.Services.GetRequiredService<MusicClassificationPipeline>();

app.MapOps();
app.MapClassify();
app.MapInfo();

app.Run();

/// <summary>The host's entry point, public so integration tests can start it.</summary>
public partial class Program;
