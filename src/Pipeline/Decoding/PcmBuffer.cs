using System.Buffers;
using MusicClassification.Dsp;

namespace MusicClassification.Decoding;

/// <summary>
/// A growable pooled buffer of mono samples with a hard cap: appending past <see cref="MaxLength"/> fails the song
/// with <c>too_long</c> instead of allocating without bound.
/// </summary>
internal sealed class PcmBuffer : IDisposable
{
    private const int MinimumCapacity = 16 * 1024;
    private readonly ArrayPool<float> _pool;
    private float[]? _buffer;
    private int _length;

    public PcmBuffer(int expectedLength, int maxLength, ArrayPool<float> pool)
    {
        _pool = pool;
        MaxLength = maxLength;
        _buffer = pool.Rent(Math.Clamp(expectedLength, MinimumCapacity, Math.Max(MinimumCapacity, maxLength)));
    }

    /// <summary>Grows the buffer once to hold <paramref name="length"/> samples (capped), avoiding repeated doubling for a known length.</summary>
    public void Reserve(long length)
    {
        int wanted = (int)Math.Min(length, MaxLength);
        if (wanted > Buffer.Length)
        {
            GetSpan(wanted - _length);
        }
    }

    public int MaxLength { get; }

    public int Length => _length;

    public ReadOnlySpan<float> Written => Buffer.AsSpan(0, _length);

    private float[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PcmBuffer));

    /// <summary>Returns a span of at least <paramref name="count"/> free samples to write into, then call <see cref="Advance"/>.</summary>
    public Span<float> GetSpan(int count)
    {
        if (count > MaxLength - _length)
        {
            throw new SongFailureException(SongErrorCode.TooLong, $"The decoded audio exceeds the maximum of {MaxLength} samples.");
        }

        float[] buffer = Buffer;
        if (buffer.Length - _length < count)
        {
            long wanted = Math.Max((long)buffer.Length * 2, (long)_length + count);
            float[] larger = _pool.Rent((int)Math.Min(wanted, Math.Max(MaxLength, _length + count)));
            buffer.AsSpan(0, _length).CopyTo(larger);
            _pool.Return(buffer);
            _buffer = buffer = larger;
        }

        return buffer.AsSpan(_length, count);
    }

    public void Advance(int count) => _length += count;

    /// <summary>Empties the buffer, keeping its array for the next samples.</summary>
    public void Clear() => _length = 0;

    public void Append(ReadOnlySpan<float> samples)
    {
        samples.CopyTo(GetSpan(samples.Length));
        Advance(samples.Length);
    }

    /// <summary>Hands the pooled array to a <see cref="DecodedAudio"/>; this buffer is empty afterwards.</summary>
    public DecodedAudio Detach(int sampleRate, AudioSourceInfo source)
    {
        float[] buffer = Buffer;
        _buffer = null;
        return new DecodedAudio(buffer, _length, sampleRate, source, _pool);
    }

    public void Dispose()
    {
        float[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            _pool.Return(buffer);
        }
    }
}
