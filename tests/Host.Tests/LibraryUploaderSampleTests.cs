using System.Text.Json;
using LibraryUploader;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

/// <summary>The library uploader sample against a real Kestrel: a folder in jobs, every result collected, resumable.</summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class LibraryUploaderSampleTests
{
    [TestMethod]
    public async Task A_folder_is_uploaded_in_jobs_and_a_second_run_sends_nothing_again()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();
        string work = Path.Combine(TestFolders.Root, "uploader-" + Guid.NewGuid().ToString("N"));
        string folder = Path.Combine(work, "music");
        Directory.CreateDirectory(Path.Combine(folder, "album"));
        for (int i = 0; i < 11; i++)
        {
            string path = Path.Combine(i < 6 ? folder : Path.Combine(folder, "album"), $"track-{i:D2}.wav");
            await File.WriteAllBytesAsync(path, BatchForms.Song(i));
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "album", "broken.mp3"), "not audio");
        await File.WriteAllTextAsync(Path.Combine(folder, "cover.jpg"), "not a song, not sent");
        var options = new UploadOptions
        {
            Folder = folder,
            BatchSize = 5,
            MaxOpenJobs = 2,
            OutputPath = Path.Combine(work, "results.ndjson"),
            StatePath = Path.Combine(work, "state.json"),
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        using var http = new HttpClient { BaseAddress = address };

        UploadSummary first = await new LibraryUpload(http, options, TextWriter.Null).RunAsync(CancellationToken.None);
        UploadSummary second = await new LibraryUpload(http, options, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.AreEqual(12, first.Songs);
        Assert.AreEqual(12, first.Sent);
        Assert.AreEqual(12, first.WithResults);
        Assert.AreEqual(1, first.Failed);
        Assert.AreEqual(0, second.Sent, "songs with results are never sent again");
        Assert.AreEqual(12, second.WithResults);
        string[] lines = await File.ReadAllLinesAsync(options.OutputPath);
        Assert.HasCount(12, lines);
        var byFile = lines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(l => l.GetProperty("file").GetString()!);
        Assert.AreEqual("unsupported_format", byFile[Path.Combine("album", "broken.mp3")].GetProperty("result").GetProperty("error").GetProperty("code").GetString());
        Assert.AreEqual("track-07.wav", byFile[Path.Combine("album", "track-07.wav")].GetProperty("result").GetProperty("id").GetString());
    }
}
