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

        UploadSummary first = await new LibraryUpload(http, options, UploadProgress.Silent).RunAsync(CancellationToken.None);
        UploadSummary second = await new LibraryUpload(http, options, UploadProgress.Silent).RunAsync(CancellationToken.None);

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

    [TestMethod]
    public void Redirected_progress_writes_a_status_line_only_when_it_changes()
    {
        using var log = new StringWriter();
        var progress = new UploadProgress(log, terminal: false);

        progress.Status(0, 12, "job a: running, 0/5");
        progress.Status(0, 12, "job a: running, 0/5");
        progress.Say("job b: 5 songs accepted");
        progress.Status(3, 12, "job a: running, 3/5");
        progress.Finish();

        string[] lines = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(
            new[] { "0/12 songs have results; job a: running, 0/5", "job b: 5 songs accepted", "3/12 songs have results; job a: running, 3/5" },
            lines);
        Assert.DoesNotContain("\r", log.ToString());
    }

    [TestMethod]
    public void On_a_terminal_the_status_is_one_line_redrawn_under_the_events()
    {
        using var screen = new StringWriter();
        var progress = new UploadProgress(screen, terminal: true);

        progress.Status(3, 12, "job a: running");
        progress.Say("retrying in 2 s: TooManyRequests");
        progress.Status(12, 12, "job a: collected");
        progress.Finish();

        const string Erase = "\r\u001b[K";
        string bar3 = "[" + new string('#', 7) + new string('.', 23) + "]";
        string bar12 = "[" + new string('#', 30) + "]";
        Assert.AreEqual(
            $"{Erase}{bar3} 3/12 25 %  job a: running" +
            $"{Erase}retrying in 2 s: TooManyRequests{Environment.NewLine}{bar3} 3/12 25 %  job a: running" +
            $"{Erase}{bar12} 12/12 100 %  job a: collected{Environment.NewLine}",
            screen.ToString());

        using var narrow = new StringWriter();
        new UploadProgress(narrow, terminal: true, width: 40).Status(3, 12, "job 4604d38d7127ded3edbc631d63043a22: running");
        Assert.AreEqual(Erase.Length + 40, narrow.ToString().Length, "a line that wrapped could not be redrawn in place");
    }
}
