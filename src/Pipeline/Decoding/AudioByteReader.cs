using System.Buffers;
using MusicClassification.Scheduling;

namespace MusicClassification.Decoding;

/// <summary>
/// Reads a song's bytes through one pooled buffer: lets the sniffer peek at the header, lets decoders parse and skip
/// chunks, and enforces the input size cap (<c>too_long</c>) however the source behaves.
/// </summary>
internal sealed class AudioByteReader : IDisposable
{
    public const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly long _maxBytes;
    private readonly bool _blockingReads;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;

    /// <param name="stream">The song's bytes.</param>
    /// <param name="maxBytes">The most bytes the song may have.</param>
    /// <param name="blockingReads">
    /// Read with blocking calls, so every fill completes on the calling thread: for a caller on a thread of its own
    /// reading a pipe that a producer fills in small writes, where one asynchronous completion per write costs more
    /// CPU (thread-pool wake-ups and spinning) than the work done with its bytes.
    /// </param>
    public AudioByteReader(Stream stream, long maxBytes, bool blockingReads = false)
    {
        _stream = stream;
        _maxBytes = maxBytes;
        _blockingReads = blockingReads;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>Gets the bytes taken from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Gets the offset in the song of the first buffered byte.</summary>
    public long Position => BytesRead - (_end - _start);

    public ReadOnlySpan<byte> Buffered => Buffer.AsSpan(_start, _end - _start);

    public ReadOnlyMemory<byte> BufferedMemory => Buffer.AsMemory(_start, _end - _start);

    public bool EndOfStream => _endOfStream && _start == _end;

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(AudioByteReader));

    /// <summary>Buffers at least <paramref name="count"/> bytes (at most <see cref="BufferSize"/>) unless the stream ends first; returns how many are buffered.</summary>
    public async ValueTask<int> FillAsync(int count, CancellationToken cancellationToken)
    {
        count = Math.Min(count, BufferSize);
        byte[] buffer = Buffer;
        if (_end - _start >= count || _endOfStream)
        {
            return _end - _start;
        }

        if (_start > 0)
        {
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < count && !_endOfStream)
        {
            int read = _blockingReads
                ? _stream.Read(buffer.AsSpan(_end, buffer.Length - _end))
                : await _stream.ReadAsync(buffer.AsMemory(_end, buffer.Length - _end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
                break;
            }

            _end += read;
            BytesRead += read;
            if (BytesRead > _maxBytes)
            {
                throw TooLarge(_maxBytes);
            }
        }

        return _end - _start;
    }

    /// <summary>
    /// Lets the song step aside for songs someone is waiting for (<see cref="SongTurn"/>): on the reader's own thread by
    /// blocking it (a reader of FFmpeg's output keeps its thread), otherwise without holding one. A paused reader leaves
    /// FFmpeg blocked on a full pipe, so the decoder process steps aside with it.
    /// </summary>
    public ValueTask YieldTurnAsync(CancellationToken cancellationToken)
    {
        if (_blockingReads)
        {
            SongTurn.Yield(cancellationToken);
            return ValueTask.CompletedTask;
        }

        return SongTurn.YieldAsync(cancellationToken);
    }

    /// <summary>The failure of a song over the byte cap, whether found while reading or from a file's length.</summary>
    public static SongFailureException TooLarge(long maxBytes) =>
        new(SongErrorCode.TooLong, $"The song is larger than the maximum of {maxBytes} bytes.");

    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _end - _start);
        _start += count;
    }

    /// <summary>Skips <paramref name="count"/> bytes; returns false when the stream ended first.</summary>
    public async ValueTask<bool> SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            int buffered = _end - _start;
            if (buffered == 0)
            {
                buffered = await FillAsync(BufferSize, cancellationToken).ConfigureAwait(false);
                if (buffered == 0)
                {
                    return false;
                }
            }

            int take = (int)Math.Min(buffered, count);
            _start += take;
            count -= take;
        }

        return true;
    }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
