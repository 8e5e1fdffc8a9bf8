using System.Diagnostics;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// End-to-end run over a batch of generated WAV files on disk: songs/s, audio seconds per second, and the process's
/// peak RSS (VmHWM). The files are written once to a temp folder; each song is read from disk when its turn comes.
/// </summary>
internal static class MacroRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int songCount = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
        double seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 180;
        string folder = Path.Combine(Path.GetTempPath(), $"mc-macro-{songCount}x{seconds}");
        const int Variants = 8;
        Directory.CreateDirectory(folder);
        for (int v = 0; v < Variants; v++)
        {
            string path = Path.Combine(folder, $"variant-{v}.wav");
            if (!File.Exists(path))
            {
                float[] left = TestSignals.Sine(110 * (v + 1), seconds, 44_100, amplitude: 0.3);
                float[] right = TestSignals.WhiteNoise(seconds, 44_100, seed: v, amplitude: 0.1);
                await File.WriteAllBytesAsync(path, WavBytes.Encode(TestSignals.Interleave(left, right), 44_100, 2));
            }
        }

        var songs = Enumerable.Range(0, songCount).Select(i => SongInput.FromFile($"song-{i}", Path.Combine(folder, $"variant-{i % Variants}.wav")));
        // Forget the peak from generating the files: reset VmHWM (Linux ≥ 4.0) so it measures the pipeline alone.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        ResetPeakRss();
        long baselineRss = PeakRssBytes();
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
        var clock = Stopwatch.StartNew();
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        int ok = 0;
        double audioSeconds = 0;
        await foreach (SongResult result in pipeline.ClassifyAsync(songs))
        {
            if (result.Succeeded)
            {
                ok++;
                audioSeconds += result.Audio.AnalysedSeconds;
            }
        }

        clock.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
        Console.WriteLine($"songs: {songCount} x {seconds} s (44.1 kHz stereo pcm16 WAV from disk), succeeded: {ok}");
        Console.WriteLine($"wall: {clock.Elapsed.TotalSeconds:0.00} s, cpu: {cpu.TotalSeconds:0.00} s");
        Console.WriteLine($"throughput: {songCount / clock.Elapsed.TotalSeconds:0.0} songs/s, {audioSeconds / clock.Elapsed.TotalSeconds:0} audio s/s, {audioSeconds / cpu.TotalSeconds:0} audio s per CPU s");
        Console.WriteLine($"peak RSS: {PeakRssBytes() / 1048576.0:0} MiB (before pipeline: {baselineRss / 1048576.0:0} MiB)");
        return ok == songCount ? 0 : 1;
    }

    private static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long PeakRssBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
