using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MusicClassification.Tests.Services;

namespace MusicClassification.Host.Tests;

/// <summary>
/// The host started as users start it, with a bad configuration or a busy port: one message that names every invalid
/// setting, exit code 1, no stack trace (the outside probe saw SIGABRT, exit 134, and only the first bad group).
/// </summary>
[TestClass]
public sealed class StartupTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Every_invalid_setting_is_named_in_one_message_and_the_exit_code_is_1()
    {
        (int exit, string errors) = await RunHostAsync(
            "--urls", "http://127.0.0.1:0", "--Limits:MaxSongsPerBatch=0", "--ApiKeys:Keys:0=short", "--Pipeline:SongTimeout=abc");

        Assert.AreEqual(1, exit, errors);
        StringAssert.Contains(errors, "MaxSongsPerBatch");
        StringAssert.Contains(errors, "ApiKeys:Keys:0");
        StringAssert.Contains(errors, "Pipeline:SongTimeout");
        Assert.IsFalse(errors.Contains("Unhandled exception", StringComparison.Ordinal) || errors.Contains("   at ", StringComparison.Ordinal), errors);
    }

    [TestMethod]
    public async Task A_port_in_use_is_one_line_and_exit_code_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        (int exit, string errors) = await RunHostAsync("--urls", $"http://127.0.0.1:{port}");

        Assert.AreEqual(1, exit, errors);
        StringAssert.Contains(errors, "The service cannot start: Failed to bind to address");
        StringAssert.Contains(errors, "address already in use");
        Assert.IsFalse(errors.Contains("Unhandled exception", StringComparison.Ordinal), errors);
    }

    [TestMethod]
    public async Task A_models_folder_whose_model_cannot_be_loaded_is_one_message_and_exit_code_1()
    {
        string models = Path.Combine(TestFolders.Root, "models-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(models);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(models, "msd-musicnn-1.onnx"), "not a model", TestContext.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(models, "msd-musicnn-1.labels.txt"), "rock\npop\n", TestContext.CancellationToken);

            (int exit, string errors) = await RunHostAsync("--urls", "http://127.0.0.1:0", $"--MusiCnn:ModelsPath={models}");

            Assert.AreEqual(1, exit, errors);
            StringAssert.Contains(errors, "The pipeline could not be created");
            Assert.IsFalse(errors.Contains("Unhandled exception", StringComparison.Ordinal) || errors.Contains("   at ", StringComparison.Ordinal), errors);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    private async Task<(int ExitCode, string Errors)> RunHostAsync(params string[] arguments)
    {
        string data = Path.Combine(TestFolders.Root, "startup-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])[HostProcess.Assembly(), .. arguments, $"--Jobs:DataDirectory={data}", $"--Limits:TempDirectory={data}-spool"])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start)!;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(60));
            Task<string> output = process.StandardOutput.ReadToEndAsync(limit.Token);
            Task<string> errors = process.StandardError.ReadToEndAsync(limit.Token);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("The host did not stop within 60 s.");
            }

            return (process.ExitCode, await errors + await output);
        }
        finally
        {
            foreach (string folder in new[] { data, data + "-spool" }.Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
