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
        using MusiCnnModelSet set = MusiCnnModelSet.Load(args[0]);
        Report("6 sessions loaded");
        var patch = new float[MusiCnnInput.PatchLength];
        new Random(1).NextSingle();
        set.Models[0].Predict(patch, 1, CancellationToken.None);
        Report("1 run, 1 model");
        foreach (MusiCnnModel model in set.Models)
        {
            model.Predict(patch, 1, CancellationToken.None);
        }

        Report("1 run each model");
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 60; i++)
            {
                foreach (MusiCnnModel model in set.Models)
                {
                    model.Predict(patch, 1, CancellationToken.None);
                }
            }
        })));
        Report("2 threads × 60 × 6 runs");
        return 0;
    }

    private static void Report(string stage)
    {
        string[] lines = File.ReadAllLines("/proc/self/status");
        string Value(string key) => lines.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage,-28} RSS {long.Parse(Value("VmRSS:"), CultureInfo.InvariantCulture) / 1024} MiB, peak {long.Parse(Value("VmHWM:"), CultureInfo.InvariantCulture) / 1024} MiB"));
    }
}
