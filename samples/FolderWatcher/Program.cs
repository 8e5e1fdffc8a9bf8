using FolderWatcher;
using MusicClassification;

// dotnet run --project samples/FolderWatcher -- --Watch:Folder=/music/inbox
// Drop songs into the folder; each gets <song>.result.json beside it. Ctrl+C (or SIGTERM) stops cleanly.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName);
builder.Services.AddMusicClassification();
builder.Services.AddOptions<WatchOptions>().BindConfiguration("Watch").ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<FolderWatcherService>();
builder.Build().Run();
