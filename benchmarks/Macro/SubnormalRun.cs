using System.Diagnostics;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// What a song of subnormal float samples costs against a normal one of the same length, through the whole pipeline
/// (the probe that found 18 s against 1.3 s). Same run, same pipeline, one song at a time.
/// </summary>
internal static class SubnormalRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 60;
        const int Rate = 44_100;
        const int Repeats = 4;
        float[] noise = TestSignals.WhiteNoise(seconds, Rate, seed: 3, amplitude: 0.3);
        float[] subnormal = [.. noise.Select(x => x * 1e-39f)];
        var songs = new (string Name, byte[] Bytes)[]
        {
            ("normal float32", WavBytes.Encode(noise, Rate, 1, WavEncoding.Float32)),
            ("subnormal float32", WavBytes.Encode(subnormal, Rate, 1, WavEncoding.Float32)),
            ("subnormal sine 1e-38", WavBytes.Encode([.. TestSignals.Sine(440, seconds, Rate, amplitude: 1e-38)], Rate, 1, WavEncoding.Float32)),
            ("smallest subnormal", WavBytes.Encode([.. noise.Select(x => x > 0 ? float.Epsilon : -float.Epsilon)], Rate, 1, WavEncoding.Float32)),
        };

        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions { MaxDegreeOfParallelism = 1 });
        await pipeline.ClassifyAsync(SongInput.FromBytes("warm-up", songs[0].Bytes));
        Console.WriteLine($"| song ({seconds:0} s, 44.1 kHz mono) | status | wall per song | CPU per song |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach ((string name, byte[] bytes) in songs)
        {
            CpuClock cpu = CpuClock.Now();
            var clock = Stopwatch.StartNew();
            SongResult last = null!;
            for (int i = 0; i < Repeats; i++)
            {
                last = await pipeline.ClassifyAsync(SongInput.FromBytes(name, bytes));
            }

            CpuClock used = CpuClock.Now() - cpu;
            Console.WriteLine($"| {name} | {last.Status} | {clock.Elapsed.TotalSeconds / Repeats:0.000} s | {used.Total / Repeats:0.000} s |");
        }

        return 0;
    }
}
