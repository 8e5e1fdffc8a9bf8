using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using MusicClassification.Features.Rhythm;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// The tempo's inside for one file, to set beside Essentia's (<c>tools/EssentiaReference/tempo-reference.mjs --trackers</c>):
/// <c>beats &lt;file&gt; [rate]</c> decodes it with FFmpeg to mono (the channels' mean, as Essentia's <c>MonoLoader</c>
/// mixes) at <c>rate</c> (44100 by default, Essentia's; 22050 is the library's analysis rate) and prints each of the five trackers' beats and tempo, the
/// agreement, the chosen sequence and the tempo.
/// </summary>
internal static class BeatsRun
{
    private static readonly string[] Names = ["complex", "rms", "melflux", "beat_emphasis", "infogain"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: beats <file> [rate] [candidates.json] [functions.json]");
            return 2;
        }

        int rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 44_100;
        float[] samples = await DecodeAsync(args[0], rate);
        ArrayPool<float> pool = ArrayPool<float>.Shared;
        OnsetFunctions odf = OnsetFunctions.Compute(samples, rate, pool, CancellationToken.None);
        List<double>[] candidates = BeatTracker.Candidates(odf, pool);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(args[0])} at {rate} Hz, {samples.Length / (double)rate:0.00} s"));
        for (int i = 0; i < candidates.Length; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Names[i],-13} {candidates[i].Count,4} ticks, tempo {BeatTracker.Tempo(candidates[i]).Bpm,7:0.000}, first {string.Join(' ', candidates[i].Take(8).Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))}"));
        }

        if (args.Length > 2)
        {
            // The five sequences as JSON, for Essentia's TempoTapMaxAgreement to judge the same candidates.
            await File.WriteAllTextAsync(args[2], System.Text.Json.JsonSerializer.Serialize(candidates));
        }

        if (args.Length > 3)
        {
            // The five onset functions and their rates, for Essentia's TempoTapDegara to track the same functions.
            await File.WriteAllTextAsync(args[3], System.Text.Json.JsonSerializer.Serialize(new
            {
                odf.SlowRate,
                odf.FastRate,
                functions = new[] { odf.Complex, odf.Rms, odf.MelFlux, odf.BeatEmphasis, odf.InfoGain },
            }));
        }

        (IReadOnlyList<double> beats, double confidence) = BeatAgreement.Select(candidates);
        int chosen = Array.FindIndex(candidates, c => ReferenceEquals(c, beats) || c.SequenceEqual(beats));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  chosen {(chosen >= 0 ? Names[chosen] : "?")}, confidence {confidence:0.000}, tempo {BeatTracker.Tempo(beats).Bpm:0.000}"));
        return 0;
    }

    private static async Task<float[]> DecodeAsync(string file, int rate)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("MC_FFMPEG") ?? "ffmpeg")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The channels' mean (FFmpeg's own `-ac 1` downmix weighs them otherwise, which moves near-silent results).
        string mean = "aformat=channel_layouts=stereo,pan=mono|c0=0.5*c0+0.5*c1";
        foreach (string argument in (string[])["-v", "error", "-nostdin", "-i", file, "-map", "0:a:0", "-af", mean, "-ar", rate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "-"])
        {
            start.ArgumentList.Add(argument);
        }

        using Process ffmpeg = Process.Start(start)!;
        using var bytes = new MemoryStream();
        await ffmpeg.StandardOutput.BaseStream.CopyToAsync(bytes);
        await ffmpeg.WaitForExitAsync();
        return [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.GetBuffer().AsSpan(0, (int)bytes.Length))];
    }
}
