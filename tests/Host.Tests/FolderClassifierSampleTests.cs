using System.Diagnostics;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

/// <summary>The folder-classifier CLI run as a user runs it: a process, output redirected, exit code telling failures.</summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class FolderClassifierSampleTests
{
    [TestMethod]
    public async Task A_folder_comes_out_as_csv_and_the_exit_code_says_a_song_failed()
    {
        string folder = Path.Combine(TestFolders.Root, "cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "one.wav"), BatchForms.Song(1));
        await File.WriteAllBytesAsync(Path.Combine(folder, "sub", "two, with comma.wav"), BatchForms.Song(2));
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.mp3"), "not audio");
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a song");

        (int exit, string output, string error) = await RunAsync(folder, "--format", "csv", "--parallelism", "2");

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.AreEqual(1, exit, error);
        Assert.StartsWith("file,status,error_code,genre,tempo_bpm", lines[0]);
        Assert.HasCount(4, lines, output);
        Assert.IsTrue(lines.Contains("broken.mp3,failed,unsupported_format,,,,,,,"), output);
        Assert.IsTrue(lines.Any(l => l.StartsWith("\"sub/two, with comma.wav\",succeeded,,", StringComparison.Ordinal)), output);
        StringAssert.Contains(error, "3/3 songs, 1 failed");
        Assert.AreEqual(1, error.Split('\n').Count(l => l.Contains("3/3 songs", StringComparison.Ordinal)), "The last progress line came twice:\n" + error);
    }

    [TestMethod]
    public async Task With_duplicates_the_files_of_one_recording_are_printed_as_one_group()
    {
        string folder = Path.Combine(TestFolders.Root, "cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "flac"));
        string nebula = TestData.Clip("singularity-nebula-30s");
        File.Copy(nebula, Path.Combine(folder, "nebula.ogg"));
        File.Copy(TestData.Clip("singularity-coherence-30s"), Path.Combine(folder, "coherence.ogg"));
        FfmpegEncoder.Run("-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", nebula, "-c:a", "flac", Path.Combine(folder, "flac", "track03.flac"));

        (int exit, string output, string error) = await RunAsync(folder, "--format", "jsonl", "--duplicates");

        Assert.AreEqual(0, exit, error);
        Assert.HasCount(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries), output);
        StringAssert.Contains(error, "Same recording (1 group):");
        StringAssert.Contains(error, "flac/track03.flac = nebula.ogg");
    }

    [TestMethod]
    public async Task Gtzan_columns_in_a_table_are_refused_with_a_reason_not_dropped()
    {
        string folder = Path.Combine(TestFolders.Root, "cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "one.wav"), BatchForms.Song(1));

        (int exit, string output, string error) = await RunAsync(folder, "--format", "table", "--gtzan");

        Assert.AreNotEqual(0, exit, output);
        StringAssert.Contains(error + output, "--gtzan adds the 57 GTZAN columns");
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        // Built beside this test assembly's configuration (bin/<Release|Debug>/net10.0).
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string dll = Path.Combine(Path.GetDirectoryName(MusicClassification.Tests.TestAudio.TestData.Root)!, "..", "samples", "FolderClassifier", "bin", configuration, "net10.0", "FolderClassifier.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.GetFullPath(dll));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }
}
