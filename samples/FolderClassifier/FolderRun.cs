using System.Diagnostics;
using MusicClassification;
using MusicClassification.Classification.MusiCnn;
using Spectre.Console;

namespace FolderClassifier;

/// <summary>
/// Classifies a folder through the library and shows progress: a live bar with songs done, failed, rate and time left
/// on a terminal; plain progress lines on stderr when output is redirected. Results go to stdout as they complete
/// (jsonl, csv) or as a table at the end; after Ctrl+C the results so far are still written.
/// </summary>
internal static class FolderRun
{
    private static readonly string[] AudioExtensions = [".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".wav", ".aiff", ".aif", ".wma", ".mka", ".webm"];

    public static async Task<int> RunAsync(ClassifierSettings settings, CancellationToken cancellationToken)
    {
        if (!settings.Folder.Exists)
        {
            await Console.Error.WriteLineAsync($"No such folder: {settings.Folder.FullName}");
            return 2;
        }

        string[] files = [.. Directory.EnumerateFiles(settings.Folder.FullName, "*", SearchOption.AllDirectories)
            .Where(f => AudioExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
        var options = new PipelineOptions { MaxDegreeOfParallelism = settings.Parallelism };
        options.Decoding.Window = settings.Window;
        options.Features.Fingerprint = settings.Duplicates;
        // MusiCNN (tags, moods, danceability) only with --models; disposed after the pipeline that uses it.
        using MusiCnnClassifier? musiCnn = settings.ModelsPath is { Length: > 0 } models ? MusiCnnClassifier.Load(models) : null;
        await using var pipeline = MusicClassificationPipeline.Create(options, musiCnn is null ? [] : [musiCnn]);
        var output = new ResultWriter(settings.Format, settings.Gtzan, Console.Out);
        IEnumerable<SongInput> songs = files.Select(path => SongInput.FromFile(Path.GetRelativePath(settings.Folder.FullName, path), path));
        var counts = new Counts(files.Length);
        var fingerprinted = new List<SongResult>();

        if (Console.IsOutputRedirected || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            await foreach (SongResult result in pipeline.ClassifyAsync(songs, cancellationToken: cancellationToken))
            {
                output.Write(result);
                counts.Add(result);
                Keep(fingerprinted, result);
                // Every tenth song; the last line is written once, after the loop.
                if (counts.Done % 10 == 0 && counts.Done < files.Length)
                {
                    await Console.Error.WriteLineAsync(counts.Describe());
                }
            }
        }
        else
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("starting", maxValue: Math.Max(1, files.Length));
                    await foreach (SongResult result in pipeline.ClassifyAsync(songs, cancellationToken: cancellationToken))
                    {
                        output.Write(result);
                        counts.Add(result);
                        Keep(fingerprinted, result);
                        task.Increment(1);
                        task.Description = Markup.Escape(counts.Describe());
                    }
                });
        }

        output.Finish();
        if (settings.Duplicates)
        {
            await WriteDuplicatesAsync(fingerprinted);
        }

        await Console.Error.WriteLineAsync(cancellationToken.IsCancellationRequested
            ? $"Stopped: {counts.Describe()}; the results so far are above."
            : counts.Describe());
        return counts.Failed == 0 && !cancellationToken.IsCancellationRequested ? 0 : 1;
    }

    private static void Keep(List<SongResult> fingerprinted, SongResult result)
    {
        if (result.Fingerprint is not null)
        {
            fingerprinted.Add(result with { GtzanFeatures = null, Audio = null });
        }
    }

    /// <summary>The groups go to stderr, beside the progress, so that stdout stays the results (jsonl, csv) alone.</summary>
    private static async Task WriteDuplicatesAsync(List<SongResult> fingerprinted)
    {
        IReadOnlyList<IReadOnlyList<int>> groups = SongDuplicates.Find(fingerprinted);
        Dictionary<int, string> names = fingerprinted.ToDictionary(r => r.Index, r => r.Id);
        await Console.Error.WriteLineAsync(groups.Count == 0
            ? $"No two of the {fingerprinted.Count} fingerprinted songs are the same recording."
            : $"Same recording ({groups.Count} group{(groups.Count == 1 ? "" : "s")}):");
        foreach (IReadOnlyList<int> group in groups)
        {
            await Console.Error.WriteLineAsync("  " + string.Join(" = ", group.Select(i => names[i])));
        }
    }

    private sealed class Counts(int total)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public int Done { get; private set; }

        public int Failed { get; private set; }

        public void Add(SongResult result)
        {
            Done++;
            Failed += result.Succeeded ? 0 : 1;
        }

        public string Describe()
        {
            double rate = Done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
            string left = rate > 0 && Done < total ? $", ~{(total - Done) / rate:0} s left" : string.Empty;
            return $"{Done}/{total} songs, {Failed} failed, {rate:0.0} songs/s{left}";
        }
    }
}
