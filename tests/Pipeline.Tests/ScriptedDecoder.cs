using MusicClassification.Decoding;

namespace MusicClassification.Tests;

/// <summary>
/// A decoder whose behaviour each song chooses through its id prefix: <c>throw</c>, <c>hang</c> (honours cancellation),
/// <c>deaf</c> (ignores it), <c>slow</c> (a short delay); anything else is decoded for real. It also counts how many
/// songs are inside it at once.
/// </summary>
internal sealed class ScriptedDecoder(DecodingOptions? options = null) : IAudioDecoder
{
    private readonly SongDecoder _real = new(options ?? new DecodingOptions(), Dsp.SampleBuffers.Shared);
    private int _inside;
    private int _maxInside;
    private int _started;

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool UseGate { get; init; }

    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public TaskCompletionSource FirstHangStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MaxInside => Volatile.Read(ref _maxInside);

    public int Started => Volatile.Read(ref _started);

    public async ValueTask<DecodedAudio> DecodeAsync(SongInput song, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        int inside = Interlocked.Increment(ref _inside);
        int seen;
        while (inside > (seen = Volatile.Read(ref _maxInside)) && Interlocked.CompareExchange(ref _maxInside, inside, seen) != seen)
        {
        }

        try
        {
            if (UseGate)
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }

            if (song.Id.StartsWith("throw", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The scripted decoder threw.");
            }

            if (song.Id.StartsWith("hang", StringComparison.Ordinal))
            {
                FirstHangStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (song.Id.StartsWith("deaf", StringComparison.Ordinal))
            {
                FirstHangStarted.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
            }

            if (song.Id.StartsWith("slow", StringComparison.Ordinal))
            {
                await Task.Delay(SlowDelay, cancellationToken);
            }

            return await _real.DecodeAsync(song, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }
}
