using System.Buffers;
using MusicClassification.Dsp;

namespace MusicClassification.Decoding;

/// <summary>
/// A decoded song: mono float PCM at the analysis rate in a pooled buffer. The largest object a song owns, so it is
/// disposed as soon as the feature stage is done with it.
/// </summary>
internal sealed class DecodedAudio : IDisposable
{
    private readonly ArrayPool<float> _pool;
    private float[]? _buffer;

    public DecodedAudio(float[] pooledBuffer, int length, int sampleRate, AudioSourceInfo source, ArrayPool<float> pool)
    {
        _pool = pool;
        _buffer = pooledBuffer;
        Length = length;
        SampleRate = sampleRate;
        Source = source;
    }

    public int Length { get; }

    public int SampleRate { get; }

    public AudioSourceInfo Source { get; private set; }

    public double DurationSeconds => (double)Length / SampleRate;

    /// <summary>Gets what read the window while it was decoded, if anything did; disposed with the audio.</summary>
    public IWindowTap? Tap { get; set; }

    public ReadOnlySpan<float> Samples => (_buffer ?? throw new ObjectDisposedException(nameof(DecodedAudio))).AsSpan(0, Length);

    /// <summary>Renames the source format (FFmpeg's output is WAV, but the song was, say, MP3).</summary>
    public DecodedAudio WithFormat(string format)
    {
        Source = Source with { Format = format };
        return this;
    }

    /// <summary>Records where the window starts in the song and how long the song is, for a decode that began at the window.</summary>
    public DecodedAudio StartingAt(double windowStartSeconds, double songSeconds)
    {
        Source = Source with { WindowStartSeconds = windowStartSeconds, DurationSeconds = songSeconds };
        return this;
    }

    public void Dispose()
    {
        Tap?.Dispose();
        float[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            _pool.Return(buffer);
        }
    }
}
