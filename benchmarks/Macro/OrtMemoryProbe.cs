using System.Globalization;
using MusicClassification.Classification.MusiCnn;
using MusicClassification.Features.MusiCnn;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>Where MusiCNN's memory goes: RSS after loading the models, after one run, after concurrent runs.</summary>
internal static class OrtMemoryProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        Report("start");
        // As MusiCnnOptions.ReturnFreedNativeMemory does by default (MC_KEEP_FREED_NATIVE=1 measures glibc's default).
        if (Environment.GetEnvironmentVariable("MC_KEEP_FREED_NATIVE") != "1")
        {
            NativeHeap.ReturnLargeBlocksToTheSystem();
        }

        using MusiCnnModelSet set = MusiCnnModelSet.Load(args[0]);
        Report("6 sessions loaded");
        var patch = new float[MusiCnnInput.PatchLength];
        new Random(1).NextSingle();
        set.Models[0].Model.Predict(patch, 1, CancellationToken.None);
        Report("1 run, 1 model");
        foreach ((MusiCnnModel model, _) in set.Models)
        {
            model.Predict(patch, 1, CancellationToken.None);
        }

        Report("1 run each model");
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 60; i++)
            {
                foreach (var entry in set.Models)
                {
                    entry.Model.Predict(patch, 1, CancellationToken.None);
                }
            }
        })));
        Report("2 threads × 60 × 6 runs");
        return 0;
    }

    private static void Report(string stage)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage,-28} RSS {ProcessMemory.RssBytes / ProcessMemory.MiB:0} MiB, peak {ProcessMemory.PeakRssBytes / ProcessMemory.MiB:0} MiB"));
    }
}
