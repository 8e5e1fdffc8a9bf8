using System.Diagnostics;
using System.Globalization;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// What reading FFmpeg's output costs this process, by the way it is read: FFmpeg decodes each song of a folder to
/// 32-bit float WAV on stdout (as the decoder runs it) and this process only reads the bytes, asynchronously on the
/// thread pool or with blocking reads on a thread of its own. CPU per song of this process and of FFmpeg, in one run.
/// </summary>
internal static class PipeReadRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: pipe <dir> [rounds, default 2]");
            return 2;
        }

        string[] files = [.. Directory.EnumerateFiles(args[0], "*.mp3").Order(StringComparer.Ordinal)];
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        await ReadAsync(files[0], blocking: false);
        await ReadAsync(files[0], blocking: true);
        Console.WriteLine($"{files.Length} songs in {args[0]}, read one at a time, {rounds} rounds alternating");
        Console.WriteLine("| reading | this process, CPU ms per song | FFmpeg, CPU ms per song | MB per song |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (int round = 0; round < rounds; round++)
        {
            foreach (bool blocking in (bool[])[false, true])
            {
                CpuClock before = CpuClock.Now();
                long bytes = 0;
                foreach (string file in files)
                {
                    bytes += await ReadAsync(file, blocking);
                }

                CpuClock used = CpuClock.Now() - before;
                string how = blocking ? "blocking reads, own thread" : "ReadAsync, thread pool";
                Console.WriteLine(FormattableString.Invariant(
                    $"| {how} | {used.Self * 1000 / files.Length:0} | {used.Children * 1000 / files.Length:0} | {bytes / 1e6 / files.Length:0.0} |"));
            }
        }

        return 0;
    }

    private static async Task<long> ReadAsync(string file, bool blocking)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-threads", "1", "-i", file, "-map", "0:a:0", "-c:a", "pcm_f32le", "-f", "wav", "-flush_packets", "0", "pipe:1"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Stream output = process.StandardOutput.BaseStream;
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        if (blocking)
        {
            total = await Task.Factory.StartNew(
                () =>
                {
                    long sum = 0;
                    int read;
                    while ((read = output.Read(buffer)) > 0)
                    {
                        sum += read;
                    }

                    return sum;
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
        else
        {
            int read;
            while ((read = await output.ReadAsync(buffer)) > 0)
            {
                total += read;
            }
        }

        await process.WaitForExitAsync();
        await stderr;
        return total;
    }
}
