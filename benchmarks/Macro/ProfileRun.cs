using System.Diagnostics;
using System.Globalization;
using MusicClassification.Classification;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// CPU seconds per 3-minute song for each analysis profile (genre + descriptors; + MusiCNN on every patch; + MusiCNN on
/// 3 evenly spaced patches), songs/s at the default parallelism, and what the sampled policy costs in agreement with
/// the full one on real music clips.
/// </summary>
internal static class ProfileRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: profiles <models-dir> [music-clips-dir]");
            return 2;
        }

        string models = args[0];
        float[] left = TestSignals.ChordProgression([[48, 60, 64, 67], [53, 60, 65, 69], [55, 59, 62, 67]], 60, 44_100);
        float[] right = TestSignals.ClickTrack(120, 180, 44_100, amplitude: 0.3);
        byte[] song = WavBytes.Encode(TestSignals.Interleave(left, right), 44_100, 2);
        const int Songs = 4;
        TimeSpan generous = TimeSpan.FromMinutes(30);

        (string Name, string? Models, int? MaxPatches)[] profiles =
        [
            ("genre + descriptors", null, null),
            ("+ MusiCNN, 3 patches", models, 3),
            ("+ MusiCNN, 8 patches", models, 8),
            ("+ MusiCNN, every patch (60)", models, null),
        ];

        Console.WriteLine($"{Songs} × 180 s 44.1 kHz stereo WAV per profile, DOP 4, middle 180 s window (60 patches)");
        Console.WriteLine("| profile | CPU s per song | songs/s | peak RSS so far (MiB) |");
        Console.WriteLine("|---|---:|---:|---:|");
        int profileCount = Environment.GetEnvironmentVariable("MC_PROFILES") is { Length: > 0 } limit ? int.Parse(limit, CultureInfo.InvariantCulture) : profiles.Length;
        foreach ((string name, string? profileModels, int? maxPatches) in profiles.Take(profileCount))
        {
            await using var run = AnalysisPipeline.Create(new PipelineOptions { SongTimeout = generous }, profileModels, maxPatches);
            MusicClassificationPipeline pipeline = run.Pipeline;
            await pipeline.ClassifyAsync(SongInput.FromBytes("warm-up", song));
            CpuClock before = CpuClock.Now();
            var clock = Stopwatch.StartNew();
            await foreach (SongResult result in pipeline.ClassifyAsync(Enumerable.Range(0, Songs).Select(i => SongInput.FromBytes($"s{i}", song))))
            {
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException(result.Error.Message);
                }
            }

            CpuClock used = CpuClock.Now() - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {used.Total / Songs:0.00} | {Songs / clock.Elapsed.TotalSeconds:0.00} | {ProcessMemory.PeakRssBytes / ProcessMemory.MiB:0} |"));
        }

        if (args.Length > 1)
        {
            await AgreementAsync(models, args[1]);
        }

        return 0;
    }

    private static async Task AgreementAsync(string models, string clips)
    {
        var files = Directory.GetFiles(clips, "*.ogg").Order(StringComparer.Ordinal).ToArray();
        await using var fullRun = AnalysisPipeline.Create(new PipelineOptions(), models, maxPatches: null);
        await using var sampledRun = AnalysisPipeline.Create(new PipelineOptions(), models, maxPatches: 3);
        MusicClassificationPipeline full = fullRun.Pipeline;
        MusicClassificationPipeline sampled = sampledRun.Pipeline;
        Console.WriteLine();
        Console.WriteLine("Agreement of 3 sampled patches with every patch (music clips, 10 patches each):");
        Console.WriteLine("| clip | max |Δ| over 50 tags | top-5 tags shared | max |Δ| moods + danceability |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (string file in files)
        {
            SongResult a = await full.ClassifyAsync(SongInput.FromFile(Path.GetFileName(file), file));
            SongResult b = await sampled.ClassifyAsync(SongInput.FromFile(Path.GetFileName(file), file));
            var tagsA = a.Tags!.ToDictionary(t => t.Label, t => t.Probability);
            var tagsB = b.Tags!.ToDictionary(t => t.Label, t => t.Probability);
            double tagDelta = tagsA.Keys.Max(k => Math.Abs(tagsA[k] - tagsB[k]));
            int shared = a.Tags!.Take(5).Select(t => t.Label).Intersect(b.Tags!.Take(5).Select(t => t.Label)).Count();
            double moodDelta = a.Moods!.Zip(b.Moods!).Max(p => Math.Abs(p.First.Probability - p.Second.Probability));
            moodDelta = Math.Max(moodDelta, Math.Abs(a.Danceability!.Value - b.Danceability!.Value));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {Path.GetFileName(file)} | {tagDelta:0.000} | {shared}/5 | {moodDelta:0.000} |"));
        }
    }
}
