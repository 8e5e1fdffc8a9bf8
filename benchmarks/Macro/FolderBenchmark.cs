using System.Diagnostics;
using System.Globalization;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// The library over any folder of songs against the decode floor in the same run: FFmpeg decoding the same analysis
/// window (the middle 180 s) of every song to null, two at once; then the whole pipeline with default options at each
/// parallelism asked for. Reports songs/s, audio seconds per CPU second, CPU and allocated bytes per song, the process's
/// peak RSS, the CPU ratio to the floor and the scaling against the first parallelism.
/// </summary>
internal static class FolderBenchmark
{
    private const int WarmUpSongs = 40;

    private static readonly string[] AudioExtensions = [".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".wav", ".aiff", ".wma", ".mka"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: folder <dir> [parallelism list, default 1,2,4]");
            return 2;
        }

        string[] files = [.. Directory.EnumerateFiles(args[0], "*", SearchOption.AllDirectories)
            .Where(f => AudioExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)];
        int[] parallelisms = args.Length > 1 ? [.. args[1].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))] : [1, 2, 4];
        var window = new PipelineOptions().Decoding.WindowLength;
        double[] durations = [.. files.Select(Duration)];
        double audio = durations.Sum(d => Math.Min(d, window.TotalSeconds));

        CpuClock before = CpuClock.Now();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files.Zip(durations), new ParallelOptions { MaxDegreeOfParallelism = 2 }, (song, _) =>
        {
            double start = Math.Max(0, (song.Second - window.TotalSeconds) / 2);
            // The floor: the same FFmpeg decoding the same window and writing float WAV to /dev/null (the lean build has no null muxer).
            Ffmpeg("-hide_banner", "-nostdin", "-loglevel", "error", "-threads", "1", "-ss", Invariant(start), "-t", Invariant(window.TotalSeconds),
                "-i", song.First, "-map", "0:a:0", "-c:a", "pcm_f32le", "-f", "wav", "-y", "/dev/null");
            return ValueTask.CompletedTask;
        });
        CpuClock floorCpu = CpuClock.Now() - before;
        double floorWall = clock.Elapsed.TotalSeconds;

        Console.WriteLine($"{files.Length} songs in {args[0]}, {audio:0} s of audio in their analysis windows (middle {window.TotalSeconds:0} s)");
        Console.WriteLine("| run | songs/s | audio s per CPU s | CPU s per song | × floor CPU | allocated per song | peak RSS | scaling |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(Invariant($"| FFmpeg → null, same windows, 2 at once (floor) | {files.Length / floorWall:0.00} | {audio / floorCpu.Total:0} | {floorCpu.Total / files.Length:0.000} | 1.00 | – | – | – |"));
        // Warm-up (JIT, the genre model, the page cache). The JIT optimises a method fully after 30 calls and most of the
        // pipeline's methods run once per song, so a one-song warm-up left the first parallelism measured on tier-0 code
        // plus the recompilation (about 2 CPU s per process). Forty songs of the first file's middle 35 s run every stage;
        // a pause lets the background compiler finish. Its CPU is reported on its own line.
        CpuClock warmStart = CpuClock.Now();
        var warmOptions = new PipelineOptions();
        warmOptions.Decoding.FfmpegPath = Decoder;
        warmOptions.Decoding.WindowLength = TimeSpan.FromSeconds(35);
        await using (var warm = AnalysisPipeline.Create(warmOptions, Environment.GetEnvironmentVariable("MC_MODELS")))
        {
            await foreach (SongResult _ in warm.Pipeline.ClassifyAsync(Enumerable.Range(0, WarmUpSongs).Select(_ => SongInput.FromFile(files[0], files[0]))))
            {
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        CpuClock warmCpu = CpuClock.Now() - warmStart;
        Console.WriteLine(Invariant($"| warm-up: {WarmUpSongs} × the first song's middle 35 s, JIT included (not in the rows below) | – | – | {warmCpu.Total:0.0} s in all | – | – | – | – |"));

        double? first = null;
        foreach (int parallelism in parallelisms)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            ProcessMemory.ResetPeak();
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            before = CpuClock.Now();
            clock.Restart();
            int failed = 0;
            var options = new PipelineOptions { MaxDegreeOfParallelism = parallelism };
            options.Decoding.FfmpegPath = Decoder;
            await using (var analysis = AnalysisPipeline.Create(options, Environment.GetEnvironmentVariable("MC_MODELS")))
            {
                await foreach (SongResult result in analysis.Pipeline.ClassifyAsync(files.Select(f => SongInput.FromFile(f, f))))
                {
                    failed += result.Succeeded ? 0 : 1;
                }
            }

            double wall = clock.Elapsed.TotalSeconds;
            CpuClock cpu = CpuClock.Now() - before;
            double perSecond = files.Length / wall;
            first ??= perSecond;
            long bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / files.Length;
            string run = failed > 0 ? $"library, parallelism {parallelism} ({failed} failed)" : $"library, parallelism {parallelism}";
            Console.WriteLine(Invariant($"| {run} | {perSecond:0.00} | {audio / cpu.Total:0} | {cpu.Total / files.Length:0.000} | ") +
                Invariant($"{cpu.Total / floorCpu.Total:0.00} | {bytes / ProcessMemory.MiB:0.0} MiB | {ProcessMemory.PeakRssBytes / ProcessMemory.MiB:0} MiB | {perSecond / first.Value:0.00}× |"));
        }

        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static double Duration(string file)
    {
        string text = Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file);
        return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? seconds : 0;
    }

    /// <summary>The FFmpeg to decode with, for the floor and the library alike: <c>MC_FFMPEG</c> (the lean build, say), else PATH's.</summary>
    private static string? Decoder { get; } = Environment.GetEnvironmentVariable("MC_FFMPEG") is { Length: > 0 } path ? path : null;

    private static void Ffmpeg(params string[] arguments) => Run(Decoder ?? "ffmpeg", arguments);

    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{tool} failed: {errors.Result}");
    }
}
