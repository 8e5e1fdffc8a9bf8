using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MusicClassification.Host.Tests;

/// <summary>The real host, in memory or on a real Kestrel on loopback, with a private spool folder so tests can prove uploads are deleted.</summary>
internal sealed class HostApplication : WebApplicationFactory<Program>
{
    private readonly string _tempDirectory = Path.Combine(TestFolders.Root, Guid.NewGuid().ToString("N"));
    private readonly bool _ownsTempDirectory = true;
    private string _dataDirectory = Path.Combine(TestFolders.Root, "data-" + Guid.NewGuid().ToString("N"));

    /// <summary>Gets or sets whether disposing the host removes its data folder (by default only one it made itself).</summary>
    public bool DeleteDataOnDispose { get; set; } = true;

    /// <summary>Gets the spool folder; one a test names itself (another host's, say) is not removed at dispose.</summary>
    public string TempDirectory
    {
        get => _tempDirectory;
        init
        {
            _tempDirectory = value;
            _ownsTempDirectory = false;
        }
    }

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Gets or sets the jobs' data folder (database and job spool); a second host given the same folder resumes its jobs.</summary>
    public string DataDirectory
    {
        get => _dataDirectory;
        set
        {
            _dataDirectory = value;
            DeleteDataOnDispose = false;
        }
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>Gets or sets services added after the host's own (an in-memory trace exporter, say).</summary>
    public Action<IServiceCollection>? ExtraServices { get; set; }

    /// <summary>Starts the host on Kestrel at 127.0.0.1 on a free port and returns its address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        string address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Limits:TempDirectory", TempDirectory);
        builder.UseSetting("Jobs:DataDirectory", DataDirectory);
        if (MusicClassification.Tests.TestAudio.TestDecoder.FfmpegPath is { } ffmpeg)
        {
            builder.UseSetting("Pipeline:Decoding:FfmpegPath", ffmpeg);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (ExtraServices is { } extra)
        {
            builder.ConfigureServices(extra);
        }

        foreach ((string key, string? value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the host expecting it to refuse to start; returns what it said (its critical log entry: every reason, no stack trace).</summary>
    public string RefusalAtStart()
    {
        Assert.Throws<Exception>(() => CreateClient());
        string said = string.Join(Environment.NewLine, Logs.Entries.Where(e => e.Level == LogLevel.Critical).Select(e => e.Message));
        Assert.IsFalse(string.IsNullOrEmpty(said), "The host did not say why it would not start.");
        return said;
    }

    /// <summary>Stops the host, then removes its spool and data folders, so the tests leave nothing in the temporary folder.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // A data folder the test named itself (a restart test hands it to a second host) is the test's to remove.
        foreach (string folder in new[] { _ownsTempDirectory ? TempDirectory : null, DeleteDataOnDispose ? DataDirectory : null }.OfType<string>().Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a process being torn down; the folder is under the tests' own temporary folder.
            }
        }
    }

    /// <summary>Gets the upload files in the spool (its <c>.host.lock</c> aside).</summary>
    public string[] TempFiles() => Directory.Exists(TempDirectory)
        ? [.. Directory.GetFiles(TempDirectory).Where(f => Path.GetFileName(f) != ".host.lock")]
        : [];

    public int TempFileCount() => TempFiles().Length;

    /// <summary>Waits (bounded) for the spool to empty: files are deleted as each song's result goes out.</summary>
    public async Task<int> TempFileCountWhenSettledAsync()
    {
        for (int attempt = 0; attempt < 50 && TempFileCount() > 0; attempt++)
        {
            await Task.Delay(100);
        }

        return TempFileCount();
    }
}
