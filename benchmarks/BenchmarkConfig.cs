using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace MusicClassification.Benchmarks;

/// <summary>The one configuration every benchmark class shares: memory diagnoser on, short runs that fit a 2-core box.</summary>
internal static class BenchmarkConfig
{
    public static IConfig Create(bool quick) => DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddJob(quick ? Job.ShortRun : Job.Default)
        .WithOptions(ConfigOptions.JoinSummary);
}
