using System.CommandLine;
using FolderClassifier;
using MusicClassification;

// dotnet run --project samples/FolderClassifier -- <folder> [--format table|jsonl|csv] [--gtzan] [--parallelism 4]
//     [--window middle|start|whole] [--models <dir>] [--duplicates]
var folder = new Argument<DirectoryInfo>("folder") { Description = "The folder of songs (searched with its subfolders)." };
var format = new Option<string>("--format") { Description = "table, jsonl or csv (default: table on a terminal, jsonl when redirected)." };
format.AcceptOnlyFromAmong("table", "jsonl", "csv");
var gtzan = new Option<bool>("--gtzan") { Description = "Add the 57 GTZAN feature columns (jsonl, csv)." };
var parallelism = new Option<int>("--parallelism") { Description = "Songs analysed at once per stage.", DefaultValueFactory = _ => 4 };
var window = new Option<string>("--window") { Description = "Which part of each song: middle (180 s), start, whole.", DefaultValueFactory = _ => "middle" };
window.AcceptOnlyFromAmong("middle", "start", "whole");
var models = new Option<DirectoryInfo?>("--models") { Description = "A folder of MusiCNN ONNX models: adds tags, moods, danceability." };

var duplicates = new Option<bool>("--duplicates") { Description = "Fingerprint every song (AcoustID) and print the groups of files that are the same recording." };

var command = new RootCommand("Classifies every song in a folder: genre, tempo, key, loudness (and MusiCNN tags with --models).")
{
    folder, format, gtzan, parallelism, window, models, duplicates,
};
// A table has no room for 57 more columns: say so rather than drop them silently.
command.Validators.Add(result =>
{
    if (result.GetValue(gtzan) && result.GetValue(format) == "table")
    {
        result.AddError("--gtzan adds the 57 GTZAN columns, which a table cannot show: use --format csv or --format jsonl.");
    }
});
command.SetAction((parse, cancellationToken) =>
{
    var settings = new ClassifierSettings(
        parse.GetValue(folder)!,
        parse.GetValue(format) ?? (Console.IsOutputRedirected || parse.GetValue(gtzan) ? "jsonl" : "table"),
        parse.GetValue(gtzan),
        parse.GetValue(parallelism),
        parse.GetValue(window) switch { "start" => AnalysisWindow.Start, "whole" => AnalysisWindow.WholeTrack, _ => AnalysisWindow.Middle },
        parse.GetValue(models)?.FullName,
        parse.GetValue(duplicates));
    return FolderRun.RunAsync(settings, cancellationToken);
});

// Ctrl+C cancels the token the action gets: the songs so far are written, the rest end as cancelled.
return await command.Parse(args).InvokeAsync();
