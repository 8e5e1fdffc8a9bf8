using System.Buffers;

namespace MusicClassification.Dsp;

/// <summary>
/// The pool sample, spectrum and feature buffers are rented from: power-of-two size classes with no per-thread caches,
/// so a large buffer returned on one thread is reused by the next song on any thread instead of lingering with an idle
/// thread (the number of large arrays alive tracks the songs in flight), and a hard cap on the bytes of idle arrays it
/// keeps: a return past the cap is left to the garbage collector. Buffers in use are not counted; the pipeline's
/// capacities bound those.
/// </summary>
internal sealed class BoundedSamplePool : ArrayPool<float>
{
    /// <summary>The default cap on idle buffers: above the steady state of 4 workers on 180 s windows, so nothing is reallocated.</summary>
    public const long DefaultLimitBytes = 256L * 1024 * 1024;

    private const int SmallestClass = 4;
    private const int LargestClass = 27;
    private readonly Stack<float[]>[] _classes = [.. Enumerable.Range(0, LargestClass - SmallestClass + 1).Select(_ => new Stack<float[]>())];
    private readonly long _limitBytes;
    private long _idleBytes;

    public BoundedSamplePool(long limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limitBytes);
        _limitBytes = limitBytes;
    }

    /// <summary>Gets the bytes of idle arrays kept for reuse right now.</summary>
    public long IdleBytes => Interlocked.Read(ref _idleBytes);

    public override float[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (minimumLength == 0)
        {
            return [];
        }

        int sizeClass = ClassOf(minimumLength);
        if (sizeClass > LargestClass)
        {
            return GC.AllocateUninitializedArray<float>(minimumLength);
        }

        Stack<float[]> idle = _classes[sizeClass - SmallestClass];
        lock (idle)
        {
            if (idle.TryPop(out float[]? array))
            {
                Interlocked.Add(ref _idleBytes, -Bytes(array));
                return array;
            }
        }

        // Uninitialised, as the shared pools allocate: pages a song never writes are never committed.
        return GC.AllocateUninitializedArray<float>(1 << sizeClass);
    }

    public override void Return(float[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        int sizeClass = ClassOf(array.Length);
        if (array.Length != 1 << sizeClass || sizeClass < SmallestClass || sizeClass > LargestClass)
        {
            // Not one of ours (or too large to keep): the collector takes it.
            return;
        }

        if (clearArray)
        {
            Array.Clear(array);
        }

        long bytes = Bytes(array);
        if (Interlocked.Add(ref _idleBytes, bytes) > _limitBytes)
        {
            Interlocked.Add(ref _idleBytes, -bytes);
            return;
        }

        Stack<float[]> idle = _classes[sizeClass - SmallestClass];
        lock (idle)
        {
            idle.Push(array);
        }
    }

    private static int ClassOf(int length) => Math.Max(SmallestClass, 32 - int.LeadingZeroCount(length - 1));

    private static long Bytes(float[] array) => (long)array.Length * sizeof(float);
}
