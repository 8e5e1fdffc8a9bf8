using Microsoft.ML.OnnxRuntime;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>
/// One ONNX Runtime CPU memory arena for every MusiCNN session in the process, registered once in the runtime's
/// environment; sessions opt in with <see cref="UseIn"/>.
/// </summary>
/// <remarks>
/// Measured on 2 cores (benchmarks <c>ortsettings</c>, 6 models, one patch per run, two runs at a time): without an arena
/// 145 CPU ms per patch and 178 MiB peak (every run maps and unmaps its feature maps); one arena per session 98 ms but
/// 493 MiB (six arenas, each keeping its own peak); one shared arena 98 ms and 201 MiB, since at most one run per core
/// uses it at a time. Growth "same as requested" keeps the arena to what the runs actually asked for.
/// </remarks>
internal static class SharedOrtArena
{
    private static readonly Lazy<bool> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes <paramref name="options"/> allocate from the shared arena (registering it on first use).</summary>
    public static void UseIn(SessionOptions options)
    {
        if (Registered.Value)
        {
            options.EnableCpuMemArena = true;
            options.AddSessionConfigEntry("session.use_env_allocators", "1");
        }
    }

    private static bool Register()
    {
        try
        {
            using var memory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.ArenaAllocator, 0, OrtMemType.Default);
            using var arena = new OrtArenaCfg(0, 1, -1, -1);
            OrtEnv.Instance().CreateAndRegisterAllocator(memory, arena);
            return true;
        }
        catch (OnnxRuntimeException)
        {
            // Another component of the process registered a CPU allocator first; sessions without ours keep no arena.
            return false;
        }
    }
}
