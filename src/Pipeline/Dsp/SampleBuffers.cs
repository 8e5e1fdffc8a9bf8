using System.Buffers;

namespace MusicClassification.Dsp;

/// <summary>The process-wide default sample pool, for pipelines given no pool of their own and for tools and tests.</summary>
internal static class SampleBuffers
{
    /// <summary>Gets the shared pool, keeping at most <see cref="BoundedSamplePool.DefaultLimitBytes"/> of idle buffers.</summary>
    public static ArrayPool<float> Shared { get; } = new BoundedSamplePool(BoundedSamplePool.DefaultLimitBytes);
}
