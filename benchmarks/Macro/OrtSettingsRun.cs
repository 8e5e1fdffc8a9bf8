using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MusicClassification.Classification.MusiCnn;
using MusicClassification.Features.MusiCnn;
using MusicClassification.Tests.TestAudio;
using MusicClassification.Dsp;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// ONNX Runtime settings for MusiCNN on this machine: intra-op threads × patches per run (one song's, or several songs'
/// patches batched together) × concurrent runs × memory arena × graph optimisation level (and subnormals flushed to
/// zero). Each setting runs in its own process so its peak RSS is its own; every setting runs the same patches through
/// the six models, and each one's outputs are compared with the library's setting's.
/// </summary>
internal static class OrtSettingsRun
{
    private const int Patches = 48;

    /// <summary>
    /// Arena: off (freed blocks of 64 KB or more returned to the system, as the library does, or kept in glibc's heap);
    /// per session (ORT's default); one arena shared by the six sessions, growing by powers of two or by what is asked.
    /// </summary>
    private static readonly (int Intra, int Batch, int Callers, string Arena, string Graph)[] Settings =
    [
        (1, 1, 2, "shared", "all"), // the library's setting: the reference for the outputs
        (1, 1, 2, "off", "all"),
        (1, 1, 2, "off-glibc-heap", "all"),
        (1, 1, 2, "session", "all"),
        (1, 1, 2, "shared-exact", "all"),
        (1, 4, 2, "off", "all"),
        (1, 12, 2, "off", "all"),
        (1, 4, 2, "shared-exact", "all"),
        (2, 1, 1, "off", "all"),
        (2, 4, 1, "off", "all"),
        (2, 1, 2, "off", "all"),
        (1, 1, 4, "off", "all"),
        (1, 1, 4, "shared-exact", "all"),
        (1, 1, 2, "shared", "extended"),
        (1, 1, 2, "shared", "basic"),
        (1, 1, 2, "shared", "none"),
        (1, 1, 2, "shared", "all+daz"),
    ];

    // Patches whose outputs are compared between settings.
    private const int Compared = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1 || !File.Exists(Path.Combine(args[0], "msd-musicnn-1.onnx")))
        {
            Console.Error.WriteLine("usage: ortsettings <models-dir>");
            return 2;
        }

        Console.WriteLine($"{Patches} patches × 6 models per setting, {Environment.ProcessorCount} cores, one process per setting");
        Console.WriteLine("| intra-op threads | patches per run | concurrent runs | arena | graph | patches/s | CPU ms per patch (6 models) | peak RSS (MiB) | max abs difference from the first row |");
        Console.WriteLine("|---:|---:|---:|---|---|---:|---:|---:|---:|");
        string reference = Path.Combine(Path.GetTempPath(), $"mc-ortsettings-{Environment.ProcessId}-reference.bin");
        string outputs = Path.Combine(Path.GetTempPath(), $"mc-ortsettings-{Environment.ProcessId}.bin");
        for (int row = 0; row < Settings.Length; row++)
        {
            (int intra, int batch, int callers, string arena, string graph) = Settings[row];
            // Run by the apphost (dotnet run) or by dotnet with the assembly's path.
            string host = Environment.ProcessPath!;
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                start.ArgumentList.Add(typeof(OrtSettingsRun).Assembly.Location);
            }

            bool first = row == 0;
            foreach (string argument in new[] { "ortsettings-one", args[0], $"{intra}", $"{batch}", $"{callers}", arena, graph, first ? reference : outputs })
            {
                start.ArgumentList.Add(argument);
            }

            using Process child = Process.Start(start)!;
            string line = (await child.StandardOutput.ReadToEndAsync()).Trim();
            await child.WaitForExitAsync();
            string difference = first ? "–"
                : child.ExitCode == 0 && File.Exists(reference) ? MaxAbsDifference(reference, outputs).ToString("0.0e0", CultureInfo.InvariantCulture)
                : "no reference";
            Console.WriteLine(child.ExitCode == 0 ? $"{line} {difference} |" : $"| {intra} | {batch} | {callers} | {arena} | {graph} | failed ({child.ExitCode}) | | | |");
        }

        File.Delete(reference);
        File.Delete(outputs);
        return 0;
    }

    private static double MaxAbsDifference(string first, string second)
    {
        float[] a = Floats(first), b = Floats(second);
        return a.Length != b.Length ? double.NaN : a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
    }

    private static float[] Floats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(float));
        return values;
    }

    /// <summary>One setting, in this process: prints its table row.</summary>
    public static async Task<int> RunOneAsync(string[] args)
    {
        string models = args[0];
        int intra = int.Parse(args[1], CultureInfo.InvariantCulture);
        int batch = int.Parse(args[2], CultureInfo.InvariantCulture);
        int callers = int.Parse(args[3], CultureInfo.InvariantCulture);
        string arena = args[4];
        string graph = args[5];
        // The library's default (option ReturnFreedNativeMemory), except in the row that shows glibc's own heap.
        if (arena != "off-glibc-heap")
        {
            NativeHeap.ReturnLargeBlocksToTheSystem();
        }

        using var options = new SessionOptions
        {
            IntraOpNumThreads = intra,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            EnableCpuMemArena = !arena.StartsWith("off", StringComparison.Ordinal),
            GraphOptimizationLevel = graph switch
            {
                "none" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
        };
        if (graph.EndsWith("+daz", StringComparison.Ordinal))
        {
            options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        }

        if (arena.StartsWith("shared", StringComparison.Ordinal))
        {
            using var memory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.ArenaAllocator, 0, OrtMemType.Default);
            using var config = new OrtArenaCfg(0, arena == "shared-exact" ? 1 : 0, -1, -1);
            OrtEnv.Instance().CreateAndRegisterAllocator(memory, config);
            options.AddSessionConfigEntry("session.use_env_allocators", "1");
        }

        InferenceSession[] sessions = MusiCnnModelSet.Known
            .Select(k => new InferenceSession(Path.Combine(models, k.Stem + ".onnx"), options))
            .ToArray();
        try
        {
            float[] song = TestSignals.ChordProgression([[48, 60, 64, 67], [53, 60, 65, 69], [55, 59, 62, 67]], 50, MusiCnnInput.SampleRate);
            var patches = new float[MusiCnnInput.PatchCount(song.Length) * MusiCnnInput.PatchLength];
            int available = MusiCnnInput.Compute(song, patches, SampleBuffers.Shared, CancellationToken.None);
            Run(sessions, patches, available, 0, batch); // warm-up: first-run allocations and kernel selection
            await File.WriteAllBytesAsync(args[6], Outputs(sessions, patches, available));

            CpuClock before = CpuClock.Now();
            var clock = Stopwatch.StartNew();
            int next = 0;
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() =>
            {
                for (int first = Interlocked.Add(ref next, batch) - batch; first < Patches; first = Interlocked.Add(ref next, batch) - batch)
                {
                    Run(sessions, patches, available, first, Math.Min(batch, Patches - first));
                }
            })));
            clock.Stop();
            double cpu = (CpuClock.Now() - before).Total;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {intra} | {batch} | {callers} | {arena} | {graph} | {Patches / clock.Elapsed.TotalSeconds:0.0} | {cpu * 1000 / Patches:0} | {ProcessMemory.PeakRssBytes / ProcessMemory.MiB:0} |"));
            return 0;
        }
        finally
        {
            foreach (InferenceSession session in sessions)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>Every output of every model for the first <see cref="Compared"/> patches, one patch per run, as bytes.</summary>
    private static byte[] Outputs(InferenceSession[] sessions, float[] patches, int available)
    {
        var values = new List<float>();
        for (int p = 0; p < Compared; p++)
        {
            var tensor = new DenseTensor<float>(patches.AsSpan((p % available) * MusiCnnInput.PatchLength, MusiCnnInput.PatchLength).ToArray(), [1, MusiCnnInput.PatchFrames, MusiCnnInput.Bands]);
            foreach (InferenceSession session in sessions)
            {
                using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("melspectrogram", tensor)]);
                foreach (DisposableNamedOnnxValue result in results)
                {
                    values.AddRange(result.AsEnumerable<float>());
                }
            }
        }

        var bytes = new byte[values.Count * sizeof(float)];
        Buffer.BlockCopy(values.ToArray(), 0, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>Runs <paramref name="count"/> patches (cycling through the song's) as one batch through every model.</summary>
    private static void Run(InferenceSession[] sessions, float[] patches, int available, int first, int count)
    {
        var input = new float[count * MusiCnnInput.PatchLength];
        for (int i = 0; i < count; i++)
        {
            patches.AsSpan(((first + i) % available) * MusiCnnInput.PatchLength, MusiCnnInput.PatchLength).CopyTo(input.AsSpan(i * MusiCnnInput.PatchLength));
        }

        var tensor = new DenseTensor<float>(input, [count, MusiCnnInput.PatchFrames, MusiCnnInput.Bands]);
        foreach (InferenceSession session in sessions)
        {
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("melspectrogram", tensor)]);
        }
    }
}
