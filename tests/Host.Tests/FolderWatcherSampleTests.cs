using System.Text.Json;
using FolderWatcher;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

/// <summary>The worker-service sample: songs dropped into a folder get their result beside them, bad files included.</summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class FolderWatcherSampleTests
{
    [TestMethod]
    public async Task Dropped_songs_get_a_result_file_beside_them_and_a_bad_file_does_not_stop_the_watcher()
    {
        string folder = Path.Combine(TestFolders.Root, "watch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "one.wav"), BatchForms.Song(1));
        await File.WriteAllBytesAsync(Path.Combine(folder, "sub", "two.wav"), BatchForms.Song(2));
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.mp3"), "not audio");
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
        var options = Options.Create(new WatchOptions { Folder = folder, PollInterval = TimeSpan.FromMilliseconds(100), SettleTime = TimeSpan.Zero });
        using var watcher = new FolderWatcherService(pipeline, options, NullLogger<FolderWatcherService>.Instance);

        await watcher.StartAsync(CancellationToken.None);
        await WaitForResultsAsync(folder, 3);
        await File.WriteAllBytesAsync(Path.Combine(folder, "three.wav"), BatchForms.Song(3));
        await WaitForResultsAsync(folder, 4);
        await watcher.StopAsync(CancellationToken.None);

        JsonElement one = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "one.wav" + FolderWatcherService.ResultSuffix))).RootElement;
        JsonElement broken = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "broken.mp3" + FolderWatcherService.ResultSuffix))).RootElement;
        Assert.AreEqual("one.wav", one.GetProperty("id").GetString());
        Assert.AreEqual("succeeded", one.GetProperty("status").GetString());
        Assert.AreEqual("unsupported_format", broken.GetProperty("error").GetProperty("code").GetString());
        Assert.IsTrue(File.Exists(Path.Combine(folder, "sub", "two.wav" + FolderWatcherService.ResultSuffix)));

        // The service's shape: no nulls, and no field the service's answers do not have by default.
        Assert.IsFalse(one.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Null), one.ToString());
        Assert.IsFalse(broken.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Null), broken.ToString());
        Assert.IsFalse(one.TryGetProperty("gtzanFeatures", out _), "The watcher writes the 57 GTZAN columns the service leaves out.");
    }

    private static async Task WaitForResultsAsync(string folder, int count)
    {
        int found = 0;
        for (int attempt = 0; attempt < 300 && found < count; attempt++)
        {
            await Task.Delay(100);
            found = Directory.GetFiles(folder, "*" + FolderWatcherService.ResultSuffix, SearchOption.AllDirectories).Length;
        }

        Assert.AreEqual(count, found, "result files within 30 s");
    }
}
