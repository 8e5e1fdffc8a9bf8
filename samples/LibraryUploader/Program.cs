using LibraryUploader;

// dotnet run --project samples/LibraryUploader -- <service-url> <folder> [--batch-size 100] [--api-key KEY]
//     [--output FILE] [--state FILE]   (default: <folder>.results.ndjson and <folder>.upload-state.json beside the folder,
//     never the current folder, which may be a repository)
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: LibraryUploader <service-url> <folder> [--batch-size N] [--api-key KEY] [--output FILE] [--state FILE]");
    return 2;
}

string? Option(string name) => Array.IndexOf(args, name) is int at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(args[1]));
var options = new UploadOptions
{
    Folder = folder,
    BatchSize = int.TryParse(Option("--batch-size"), out int size) && size > 0 ? size : 100,
    OutputPath = Option("--output") ?? folder + ".results.ndjson",
    StatePath = Option("--state") ?? folder + ".upload-state.json",
};
Console.Error.WriteLine($"Results: {options.OutputPath}; state: {options.StatePath}");

using var http = new HttpClient { BaseAddress = new Uri(args[0].TrimEnd('/') + "/"), Timeout = TimeSpan.FromHours(1) };
if (Option("--api-key") is { } key)
{
    http.DefaultRequestHeaders.Add("X-Api-Key", key);
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C: stop cleanly; the state file lets the next run go on where this one stopped.
    e.Cancel = true;
    stop.Cancel();
};

UploadProgress progress = UploadProgress.ForConsole();
try
{
    UploadSummary summary = await new LibraryUpload(http, options, progress).RunAsync(stop.Token);
    Console.WriteLine($"{summary.WithResults}/{summary.Songs} songs have results ({summary.Sent} sent and {summary.Collected} collected this run, {summary.Failed} failed); results in {options.OutputPath}");
    return summary.WithResults == summary.Songs && summary.Failed == 0 ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    progress.Finish();
    Console.WriteLine($"Stopped; run the same command again to resume (state in {options.StatePath}).");
    return 1;
}
