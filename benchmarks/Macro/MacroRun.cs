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
        string format = args.Length > 2 ? args[2] : "wav";
        string folder = Path.Combine(Path.GetTempPath(), $"mc-macro-{seconds}-{format}");
        const int Variants = 8;
        Directory.CreateDirectory(folder);
        for (int v = 0; v < Variants; v++)
        {
            string path = Path.Combine(folder, $"variant-{v}.{format}");
            if (!File.Exists(path))
            {
                float[] left = TestSignals.Sine(110 * (v + 1), seconds, 44_100, amplitude: 0.3);
                float[] right = TestSignals.WhiteNoise(seconds, 44_100, seed: v, amplitude: 0.1);
                float[] stereo = TestSignals.Interleave(left, right);
                await File.WriteAllBytesAsync(path, format == "wav"
                    ? WavBytes.Encode(stereo, 44_100, 2)
                    : FfmpegEncoder.Encode(stereo, 44_100, 2, format, "-b:a", "192k"));
            }
        }

        var songs = Enumerable.Range(0, songCount).Select(i => SongInput.FromFile($"song-{i}", Path.Combine(folder, $"variant-{i % Variants}.{format}")));
        // Forget the peak from generating the files: reset VmHWM (Linux ≥ 4.0) so it measures the pipeline alone.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        ProcessMemory.ResetPeak();
        long baselineRss = ProcessMemory.PeakRssBytes;
        // MC_MODELS=<dir> adds the MusiCNN models (default patch policy).
        // MC_DECODED_CAPACITY=<n> overrides PipelineOptions.DecodedCapacity.
        var options = new PipelineOptions();
        if (Environment.GetEnvironmentVariable("MC_DECODED_CAPACITY") is { Length: > 0 } decoded)
        {
            options.DecodedCapacity = int.Parse(decoded, System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var run = AnalysisPipeline.Create(options, Environment.GetEnvironmentVariable("MC_MODELS"));
        MusicClassificationPipeline pipeline = run.Pipeline;
        int[] mostFfmpeg = [0];
        long[] highest = [0, 0, 0, 0];
        using var sampling = new CancellationTokenSource();
        Task childSampler = SampleChildrenAsync(mostFfmpeg, highest, sampling.Token);
        var clock = Stopwatch.StartNew();
        CpuClock cpuStart = CpuClock.Now();
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
        await sampling.CancelAsync();
        await childSampler;
        CpuClock cpu = CpuClock.Now() - cpuStart;
        Console.WriteLine($"songs: {songCount} x {seconds} s (44.1 kHz stereo {format} from disk, middle {pipeline.Options.Decoding.WindowLength.TotalSeconds:0} s window, {pipeline.Models.Count} models, decoded capacity {pipeline.Options.DecodedCapacity}), succeeded: {ok}");
        Console.WriteLine($"wall: {clock.Elapsed.TotalSeconds:0.00} s, cpu: {cpu.Total:0.00} s ({cpu.Self:0.00} s this process, {cpu.Children:0.00} s FFmpeg)");
        Console.WriteLine($"throughput: {songCount / clock.Elapsed.TotalSeconds:0.0} songs/s, {audioSeconds / clock.Elapsed.TotalSeconds:0} audio s/s, {audioSeconds / cpu.Total:0} audio s per CPU s");
        Console.WriteLine($"GC heap limit: {(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / ProcessMemory.MiB):0} MiB available to the GC; gen2 collections: {GC.CollectionCount(2)}");
        Console.WriteLine($"peak RSS: {ProcessMemory.PeakRssBytes / ProcessMemory.MiB:0} MiB (before pipeline: {baselineRss / ProcessMemory.MiB:0} MiB); most FFmpeg children at once: {mostFfmpeg[0]}");
        Console.WriteLine($"highest RSS sample (every 20 ms): {highest[0] / ProcessMemory.MiB:0} MiB, of which GC-committed {highest[1] / ProcessMemory.MiB:0} MiB (heap {highest[2] / ProcessMemory.MiB:0} MiB); the rest is native (ONNX Runtime, runtime, code); largest heap left by a full GC (≈ live data): {highest[3] / ProcessMemory.MiB:0} MiB");
        return ok == songCount ? 0 : 1;
    }

    private static async Task SampleChildrenAsync(int[] most, long[] highest, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            most[0] = Math.Max(most[0], ChildProcesses.CountNamed("ffmpeg"));
            highest[3] = Math.Max(highest[3], Math.Max(GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes, GC.GetGCMemoryInfo(GCKind.Background).HeapSizeBytes));
            long rss = ProcessMemory.RssBytes;
            if (rss > highest[0])
            {
                GCMemoryInfo info = GC.GetGCMemoryInfo();
                highest[0] = rss;
                highest[1] = info.TotalCommittedBytes;
                highest[2] = info.HeapSizeBytes;
            }

            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
