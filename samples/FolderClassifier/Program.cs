// Classifies every file in a folder (recursively) and prints one JSON line per song.
// Usage: dotnet run --project samples/FolderClassifier -- <folder>
using System.Text.Json;
using System.Text.Json.Serialization;
using MusicClassification;

if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: FolderClassifier <folder>");
    return 2;
}

var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
IEnumerable<SongInput> songs = Directory
    .EnumerateFiles(args[0], "*", SearchOption.AllDirectories)
    .Order(StringComparer.Ordinal)
    .Select(path => SongInput.FromFile(Path.GetRelativePath(args[0], path), path));

int failed = 0;
await foreach (SongResult result in pipeline.ClassifyAsync(songs, cancellationToken: cancellation.Token))
{
    failed += result.Succeeded ? 0 : 1;
    Console.WriteLine(JsonSerializer.Serialize(result, json));
}

return failed == 0 ? 0 : 1;
