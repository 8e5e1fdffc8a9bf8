using System.Buffers;
using MusicClassification.Dsp.Resampling;

namespace MusicClassification.Decoding;

/// <summary>
/// Feeds a <see cref="IWindowTap"/> the window's mono mix at its own rate: as decoded when the song's rate is the tap's,
/// otherwise resampled block by block (FFmpeg's default filter, <see cref="ResamplerDesign.Swresample"/>, as Essentia's
/// reference numbers here were made), so only a block of the resampled signal exists at a time.
/// </summary>
internal sealed class WindowTapFeed : IDisposable
{
    private readonly ResamplerPlan? _plan;
    private readonly StreamingResampler? _resampler;
    private readonly PcmBuffer? _resampled;
    private IWindowTap? _tap;

    public WindowTapFeed(IWindowTap tap, int sourceRate, int maxBlock, ArrayPool<float> pool)
    {
        _tap = tap;
        if (sourceRate != tap.SampleRate)
        {
            _plan = ResamplerPlan.For(sourceRate, tap.SampleRate);
            _resampler = new StreamingResampler(_plan, maxBlock, pool);
            _resampled = new PcmBuffer(0, Array.MaxLength, pool);
        }
    }

    /// <summary>Passes on how many source frames the window will hold, at the tap's rate.</summary>
    public void Reserve(long sourceFrames) => _tap?.Reserve(_plan?.OutputLength(sourceFrames) ?? sourceFrames);

    public void Write(ReadOnlySpan<float> mono)
    {
        IWindowTap tap = _tap ?? throw new ObjectDisposedException(nameof(WindowTapFeed));
        if (_resampler is null)
        {
            tap.Write(mono);
            return;
        }

        _resampler.Process(mono, _resampled!);
        Drain(tap);
    }

    /// <summary>Flushes what the resampler still holds into the tap and hands the tap over to the caller.</summary>
    public IWindowTap Complete()
    {
        IWindowTap tap = _tap ?? throw new ObjectDisposedException(nameof(WindowTapFeed));
        if (_resampler is not null)
        {
            _resampler.Flush(_resampled!);
            Drain(tap);
        }

        _tap = null;
        return tap;
    }

    public void Dispose()
    {
        _resampler?.Dispose();
        _resampled?.Dispose();
        Interlocked.Exchange(ref _tap, null)?.Dispose();
    }

    private void Drain(IWindowTap tap)
    {
        tap.Write(_resampled!.Written);
        _resampled.Clear();
    }
}
