using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;

namespace MusicClassification.Benchmarks;

/// <summary>
/// The one configuration every benchmark class shares: memory diagnoser on, short runs that fit a 2-core box, and the
/// results exported as GitHub Markdown into docs/benchmarks/results, one report per class under a stable name (the
/// machine and runtime head each report), so a reader sees the latest figures where the docs are.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create(bool quick) => DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddJob(quick ? Job.ShortRun : Job.Default)
        .AddExporter(MarkdownExporter.GitHub)
        .WithArtifactsPath(DocsFolder());

    private static string DocsFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
            {
                return Path.Combine(directory.FullName, "docs", "benchmarks");
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
    }
}
