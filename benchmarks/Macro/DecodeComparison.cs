using System.Diagnostics;
using System.Globalization;
using MusicClassification.Decoding;
using MusicClassification.Dsp;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// Decode throughput of the pipeline's decoder against FFmpeg decoding to null on the same files, in the same run:
/// audio seconds per CPU second (this process plus its FFmpeg children), one song at a time so CPU is attributed cleanly.
/// </summary>
internal static class DecodeComparison
{
    private static readonly (string Extension, string[] Codec)[] Formats =
    [
        ("mp3", ["-c:a", "libmp3lame", "-b:a", "192k"]),
        ("m4a", ["-c:a", "aac", "-b:a", "160k"]),
        ("flac", ["-c:a", "flac"]),
        ("ogg", ["-c:a", "libvorbis", "-q:a", "5"]),
        ("opus", ["-c:a", "libopus", "-b:a", "128k"]),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        int perFormat = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 180;
        string folder = Path.Combine(Path.GetTempPath(), $"mc-decode-{seconds}");
        Directory.CreateDirectory(folder);
        Console.WriteLine($"{perFormat} × {seconds} s stereo songs per format, decoded one at a time; audio s per CPU s (higher is better)");
        Console.WriteLine("audio s per CPU s (managed + FFmpeg CPU ms per song)");
        Console.WriteLine("| format | ffmpeg → null (floor) | ours, native rate | ours → 22.05 kHz mono | extra CPU vs floor |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach ((string extension, string[] codec) in Formats)
        {
            var files = new List<string>();
            for (int i = 0; i < perFormat; i++)
            {
                string path = Path.Combine(folder, $"song-{i}.{extension}");
                if (!File.Exists(path))
                {
                    Encode(path, seconds, i, codec);
                }

                files.Add(path);
            }

            // Forty decodes of a 3 s file first: the JIT optimises a method fully after 30 calls, and a decoder's methods
            // run once per song, so the three songs alone would be measured partly on tier-0 code and its recompilation.
            string shortFile = Path.Combine(folder, $"warm-up.{extension}");
            if (!File.Exists(shortFile))
            {
                Encode(shortFile, 3, 0, codec);
            }

            for (int w = 0; w < 40; w++)
            {
                await DecodeAllAsync([shortFile], analysisRate: w % 2 == 0 ? 22_050 : (extension == "opus" ? 48_000 : 44_100));
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
            Rate floor = Measure(files, seconds, () =>
            {
                foreach (string f in files)
                {
                    FfmpegToNull(f);
                }

                return Task.CompletedTask;
            });
            Rate native = Measure(files, seconds, () => DecodeAllAsync(files, analysisRate: extension == "opus" ? 48_000 : 44_100));
            Rate resampled = Measure(files, seconds, () => DecodeAllAsync(files, analysisRate: 22_050));
            Console.WriteLine($"| {extension} | {floor} | {native} | {resampled} | {(floor.AudioPerCpu / resampled.AudioPerCpu) - 1:+0%;-0%} |");
        }

        return 0;
    }

    private readonly record struct Rate(double AudioPerCpu, double ManagedCpuPerSong, double FfmpegCpuPerSong)
    {
        public override string ToString() =>
            $"{AudioPerCpu,5:0} ({ManagedCpuPerSong * 1000,4:0} + {FfmpegCpuPerSong * 1000,4:0} ms)";
    }

    private static Rate Measure(List<string> files, double seconds, Func<Task> work)
    {
        work().GetAwaiter().GetResult(); // warm-up (JIT, page cache)
        CpuClock before = CpuClock.Now();
        work().GetAwaiter().GetResult();
        CpuClock used = CpuClock.Now() - before;
        return new Rate(files.Count * seconds / used.Total, used.Self / files.Count, used.Children / files.Count);
    }

    private static async Task DecodeAllAsync(List<string> files, int analysisRate)
    {
        var decoder = new SongDecoder(new DecodingOptions { AnalysisSampleRate = analysisRate, Window = AnalysisWindow.WholeTrack }, SampleBuffers.Shared);
        foreach (string file in files)
        {
            using DecodedAudio audio = await decoder.DecodeAsync(SongInput.FromFile(file, file), CancellationToken.None);
        }
    }

    private static void FfmpegToNull(string file) =>
        Run("-hide_banner", "-nostdin", "-loglevel", "error", "-threads", "1", "-i", file, "-map", "0:a:0", "-f", "null", "-");

    private static void Encode(string path, double seconds, int seed, string[] codec)
    {
        string duration = seconds.ToString(CultureInfo.InvariantCulture);
        Run([
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"anoisesrc=r=44100:a=0.1:seed={seed}:d={duration}",
            "-f", "lavfi", "-i", $"sine=f={220 + (seed * 55)}:r=44100:d={duration}",
            "-filter_complex", "amix=inputs=2,volume=2", "-ac", "2", .. codec, path]);
    }

    private static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(errors);
        }
    }
}
