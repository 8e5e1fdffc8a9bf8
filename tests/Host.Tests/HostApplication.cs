using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MusicClassification.Host.Tests;

/// <summary>The real host in memory, with a private temp folder so tests can prove uploads are deleted.</summary>
internal sealed class HostApplication : WebApplicationFactory<Program>
{
    public string TempDirectory { get; } = Path.Combine(Path.GetTempPath(), "mc-host-tests", Guid.NewGuid().ToString("N"));

    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Limits:TempDirectory", TempDirectory);
        foreach ((string key, string? value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public int TempFileCount() => Directory.Exists(TempDirectory) ? Directory.GetFiles(TempDirectory).Length : 0;
}
