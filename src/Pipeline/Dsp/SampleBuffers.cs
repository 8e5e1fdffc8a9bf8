using System.Buffers;

namespace MusicClassification.Dsp;

/// <summary>
/// The one pool every sample, spectrum and feature buffer is rented from. Unlike <see cref="ArrayPool{T}.Shared"/> it
/// keeps no per-thread caches, so a large buffer returned on one thread is reused by the next song on any thread
/// instead of lingering with an idle thread: the number of large arrays alive tracks the number of songs in flight,
/// which is what keeps a 1000-song batch inside its memory budget. At most 16 arrays per size class are retained.
/// </summary>
internal static class SampleBuffers
{
    public static ArrayPool<float> Pool { get; } = ArrayPool<float>.Create(maxArrayLength: 1 << 27, maxArraysPerBucket: 16);
}
