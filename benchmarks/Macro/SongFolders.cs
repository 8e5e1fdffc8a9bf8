using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>Real-length generated MP3s on disk (20 variants, reused), made once per length.</summary>
internal static class SongFolders
{
    private const int Variants = 20;

    /// <summary>Paths of <paramref name="count"/> songs of <paramref name="seconds"/> s (192 kb/s stereo 44.1 kHz MP3).</summary>
    public static async Task<string[]> MakeMp3sAsync(int count, double seconds)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mc-load-{seconds}-mp3");
        Directory.CreateDirectory(folder);
        for (int v = 0; v < Variants; v++)
        {
            await MakeAsync(Path.Combine(folder, $"variant-{v}.mp3"), v, seconds);
        }

        return [.. Enumerable.Range(0, count).Select(i => Path.Combine(folder, $"variant-{i % Variants}.mp3"))];
    }

    /// <summary>
    /// Paths of <paramref name="count"/> real-length songs made from the repository's three music clips (CC BY-SA, see
    /// tests/TestData/README.md): 20 variants of 180 … 660 s, each one clip looped at its own tempo (0.85 … 1.12×) and
    /// encoded as 192 kb/s stereo 44.1 kHz MP3 (4 … 16 MB), as a phone's library holds them. Made once, reused.
    /// </summary>
    public static async Task<string[]> MakeRealLengthAsync(int count)
    {
        string folder = Path.Combine(Path.GetTempPath(), "mc-tier-songs");
        Directory.CreateDirectory(folder);
        string[] clips = [.. Directory.GetFiles(Path.Combine(TestData.Root, "audio"), "*.ogg").Order(StringComparer.Ordinal)];
        var variants = new string[Variants];
        for (int v = 0; v < Variants; v++)
        {
            int seconds = 180 + (37 * v % 481);
            double tempo = 0.85 + (0.03 * (v % 10));
            variants[v] = Path.Combine(folder, $"song-{v:D2}-{seconds}s.mp3");
            if (!File.Exists(variants[v]))
            {
                string partial = variants[v] + ".part.mp3";
                FfmpegEncoder.Run(
                    "-y", "-v", "error", "-stream_loop", "-1", "-i", clips[v % clips.Length],
                    "-af", FormattableString.Invariant($"atempo={tempo:0.00},aresample=44100"), "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "-ac", "2", "-c:a", "libmp3lame", "-b:a", "192k", partial);
                File.Move(partial, variants[v]);
            }
        }

        await Task.CompletedTask;
        return [.. Enumerable.Range(0, count).Select(i => variants[i % Variants])];
    }

    /// <summary>Files of random bytes as large as <paramref name="songs"/> (one per distinct song, reused), made once.</summary>
    public static string[] NoiseLike(string[] songs)
    {
        var made = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string song in songs.Distinct(StringComparer.Ordinal))
        {
            string path = Path.ChangeExtension(song, ".noise");
            if (!File.Exists(path))
            {
                var bytes = new byte[new FileInfo(song).Length];
                new Random(bytes.Length).NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
            }

            made[song] = path;
        }

        return [.. songs.Select(s => made[s])];
    }

    /// <summary>One song of <paramref name="seconds"/> s, made once.</summary>
    public static async Task<string> MakeOneAsync(string name, double seconds)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mc-load-{seconds}-mp3", name + ".mp3");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await MakeAsync(path, Variants, seconds);
        return path;
    }

    private static async Task MakeAsync(string path, int variant, double seconds)
    {
        if (File.Exists(path))
        {
            return;
        }

        float[] left = TestSignals.Sine(110 * (1 + (variant % 8)), seconds, 44_100, amplitude: 0.3);
        float[] right = TestSignals.WhiteNoise(seconds, 44_100, seed: variant, amplitude: 0.1);
        await File.WriteAllBytesAsync(path, FfmpegEncoder.Encode(TestSignals.Interleave(left, right), 44_100, 2, "mp3", "-b:a", "192k"));
    }
}
