using System.Text.Json;
using MusicClassification;
using Microsoft.Extensions.Options;

namespace FolderWatcher;

/// <summary>
/// Classifies every song dropped into a folder and writes its result beside it (<c>song.mp3.result.json</c>), a
/// classification or the failure with its code: a bad file gets a result too and never stops the watcher. A file is
/// taken once it has stopped changing; one whose result file exists is done.
/// </summary>
public sealed partial class FolderWatcherService(MusicClassificationPipeline pipeline, IOptions<WatchOptions> options, ILogger<FolderWatcherService> logger)
    : BackgroundService
{
    public const string ResultSuffix = ".result.json";
    private static readonly string[] AudioExtensions = [".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".wav", ".aiff", ".wma", ".mka"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WatchOptions watch = options.Value;
        Directory.CreateDirectory(watch.Folder);
        LogWatching(logger, Path.GetFullPath(watch.Folder));
        using var timer = new PeriodicTimer(watch.PollInterval);
        do
        {
            string[] ready = [.. Waiting(watch)];
            if (ready.Length == 0)
            {
                continue;
            }

            // One batch per look: the pipeline decodes and analyses the songs in parallel, each result as it completes.
            await foreach (SongResult result in pipeline.ClassifyAsync(ready.Select(path => SongInput.FromFile(path, path)), cancellationToken: stoppingToken))
            {
                if (result.Error?.Code == SongErrorCode.Cancelled && stoppingToken.IsCancellationRequested)
                {
                    continue; // Not a verdict on the song: it is taken again at the next start.
                }

                await WriteResultAsync(result);
                if (result.Succeeded)
                {
                    LogClassified(logger, result.Id, result.Genre ?? "-", result.Audio.TempoBpm ?? 0);
                }
                else
                {
                    LogFailed(logger, result.Id, result.Error.Code.ToWireName(), result.Error.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private static IEnumerable<string> Waiting(WatchOptions watch)
    {
        DateTime settled = DateTime.UtcNow - watch.SettleTime;
        return Directory.EnumerateFiles(watch.Folder, "*", SearchOption.AllDirectories)
            .Where(f => AudioExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Where(f => !File.Exists(f + ResultSuffix) && File.GetLastWriteTimeUtc(f) <= settled)
            .Order(StringComparer.Ordinal);
    }

    private static async Task WriteResultAsync(SongResult result)
    {
        // Written beside and renamed, so a reader never sees half a result.
        string path = result.Id + ResultSuffix;
        string temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(result with { Id = Path.GetFileName(result.Id), GtzanFeatures = null }, SongResultJson.Options));
        File.Move(temporary, path, overwrite: true);
    }

    [LoggerMessage(1, LogLevel.Information, "Watching {Folder} for songs")]
    private static partial void LogWatching(ILogger logger, string folder);

    [LoggerMessage(2, LogLevel.Information, "{Song}: {Genre}, {Tempo:0} BPM")]
    private static partial void LogClassified(ILogger logger, string song, string genre, double tempo);

    [LoggerMessage(3, LogLevel.Warning, "{Song} failed with {Code}: {Message}")]
    private static partial void LogFailed(ILogger logger, string song, string code, string message);
}
