using System.ComponentModel.DataAnnotations;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>Where the MusiCNN models are and how they run. Bound from the <c>MusiCnn</c> configuration section by the host.</summary>
public sealed class MusiCnnOptions
{
    /// <summary>The configuration section the host binds: <c>MusiCnn</c>.</summary>
    public const string SectionName = "MusiCnn";

    /// <summary>
    /// Gets or sets the folder holding the MusiCNN ONNX models (<c>msd-musicnn-1.onnx</c>, the four
    /// <c>mood_*-musicnn-msd-2.onnx</c>, <c>danceability-musicnn-msd-2.onnx</c>, each with its <c>.labels.txt</c>).
    /// Every known model present is loaded; the models are never shipped in the package (CC BY-NC-ND 4.0).
    /// </summary>
    [Required]
    public string ModelsPath { get; set; } = "";

    /// <summary>
    /// Gets or sets how many patches (≈3 s each) a song contributes, evenly spaced over the analysed window;
    /// <see langword="null"/> for every patch (Essentia's reference behaviour). Measured on 2 cores (docs/benchmarks.md):
    /// the six models cost about 0.1 CPU s per patch, so every patch of a 180 s window is ~6 CPU s per song, while
    /// 3 patches agree with it within 0.03 on every tag (same top 5) and 0.07 on moods and danceability.
    /// </summary>
    /// <value>Default 3.</value>
    [Range(1, 1000)]
    public int? MaxPatches { get; set; } = 3;

    /// <summary>
    /// Gets or sets whether all MusiCNN sessions share one ONNX Runtime CPU memory arena, registered once in the
    /// process's ONNX Runtime environment (a process-wide setting: other ONNX Runtime users in the process may opt in
    /// to the same arena). Measured (benchmarks <c>ortsettings</c>): 98 CPU ms per patch and 201 MiB peak shared, against
    /// 145 ms and 178 MiB without an arena.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool SharedMemoryArena { get; set; } = true;

    /// <summary>
    /// Gets or sets whether loading the models sets glibc's <c>mallopt(M_MMAP_THRESHOLD, 64 KiB)</c>, so native blocks of
    /// 64 KiB and more go back to the OS when freed. A process-wide setting (every native allocation in the process is
    /// affected; the .NET GC is not); without it ONNX Runtime's freed feature maps stay in glibc's per-thread heaps and
    /// RSS reached 360 MiB after 720 runs on two threads, 144 MiB with it (benchmarks <c>ortmem</c>). Linux with glibc
    /// only; ignored elsewhere.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool ReturnFreedNativeMemory { get; set; } = true;
}
