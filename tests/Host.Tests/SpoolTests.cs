using System.Net.Http.Json;
using System.Text.Json;

namespace MusicClassification.Host.Tests;

/// <summary>The spool's Unix permissions and ownership (the host's tests run on Linux).</summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SpoolTests
{
    [TestMethod]
    public async Task The_spool_folder_is_private_and_left_files_are_swept_at_start_up()
    {
        await using var app = new HostApplication();
        Directory.CreateDirectory(app.TempDirectory);
        string left = Path.Combine(app.TempDirectory, "upload-left-by-a-crash");
        string ffmpegCopy = Path.Combine(app.TempDirectory, "mc-ffmpeg-left-by-a-crash.tmp");
        await File.WriteAllBytesAsync(left, new byte[100]);
        await File.WriteAllBytesAsync(ffmpegCopy, new byte[100]);
        File.SetUnixFileMode(app.TempDirectory, (UnixFileMode)0b111_111_111);

        using HttpClient client = app.CreateClient();

        Assert.IsFalse(File.Exists(left), "a crashed run's upload is swept");
        Assert.IsFalse(File.Exists(ffmpegCopy), "and so is an FFmpeg copy: the pipeline makes them in the spool");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(app.TempDirectory));
    }

    [TestMethod]
    public async Task A_second_host_on_the_same_folders_refuses_to_start_and_the_first_keeps_its_uploads()
    {
        await using var first = new HostApplication();
        Uri address = first.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };
        var release = new TaskCompletionSource();
        using var held = new HeldBackForm(release.Task);
        Task<HttpResponseMessage> batch = client.PostAsync(new Uri("/classify/batch", UriKind.Relative), held);
        await held.FirstPartOnServerAsync();

        await using (var second = new HostApplication { TempDirectory = first.TempDirectory })
        {
            string refusal = second.RefusalAtStart();
            StringAssert.Contains(refusal, "Another host is using the upload spool folder");
            StringAssert.Contains(refusal, first.TempDirectory);
        }

        await using (var third = new HostApplication { DataDirectory = first.DataDirectory })
        {
            StringAssert.Contains(third.RefusalAtStart(), "Another host is using the jobs data folder");
        }

        release.SetResult();
        using HttpResponseMessage done = await batch;
        JsonElement summary = (await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary");
        Assert.AreEqual(HeldBackForm.Songs, summary.GetProperty("succeeded").GetInt32(), "The first host lost an upload to the second's start-up.");
    }

    [TestMethod]
    public void A_symlinked_spool_folder_stops_the_host()
    {
        string target = Path.Combine(TestFolders.Root, "target-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        using var app = new HostApplication();
        Directory.CreateDirectory(Path.GetDirectoryName(app.TempDirectory)!);
        Directory.CreateSymbolicLink(app.TempDirectory, target);

        string failure = app.RefusalAtStart();

        StringAssert.Contains(failure, "symbolic link");
    }

    [TestMethod]
    public async Task A_spool_folder_owned_by_another_user_stops_the_host()
    {
        if (Environment.UserName != "root")
        {
            Assert.Inconclusive("Only root can give a folder to another user here; CI runs as root.");
        }

        using var app = new HostApplication();
        Directory.CreateDirectory(app.TempDirectory);
        using (var chown = System.Diagnostics.Process.Start("chown", ["12345", app.TempDirectory]))
        {
            await chown.WaitForExitAsync();
            Assert.AreEqual(0, chown.ExitCode);
        }

        string failure = app.RefusalAtStart();

        StringAssert.Contains(failure, "another user");
    }

    [TestMethod]
    public async Task Spooled_uploads_are_readable_by_their_owner_only()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };
        var release = new TaskCompletionSource();
        using var held = new HeldBackForm(release.Task);
        Task<HttpResponseMessage> batch = client.PostAsync(new Uri("/classify/batch", UriKind.Relative), held);
        string? file = null;
        for (int attempt = 0; attempt < 100 && file is null; attempt++)
        {
            await Task.Delay(50);
            file = app.TempFiles().FirstOrDefault();
        }

        UnixFileMode mode = file is null ? default : File.GetUnixFileMode(file);
        release.SetResult();
        using HttpResponseMessage done = await batch;

        Assert.IsNotNull(file, "the held part is on disk");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }
}
