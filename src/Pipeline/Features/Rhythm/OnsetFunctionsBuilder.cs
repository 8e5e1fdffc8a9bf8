using System.Buffers;
using System.Numerics.Tensors;
using MusicClassification.Decoding;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Fft;

namespace MusicClassification.Features.Rhythm;

/// <summary>
/// The five onset functions computed as the samples arrive, so the decoder can feed them the analysis window at
/// Essentia's rate while it decodes and no copy of the song at that rate is ever held: Hann frames (Essentia's,
/// normalised) from the first sample every quarter frame; the slow functions read every other frame. At the end the
/// frames that reach past the last sample are taken zero-padded: the fast sequence's last frame is the first to reach
/// the end, and so is the slow sequence's, which can start one fast hop after the fast sequence has ended (Essentia's
/// <c>FrameCutter</c> on 2048/1024 frames); that frame then feeds only the slow functions.
/// </summary>
internal sealed class OnsetFunctionsBuilder : IWindowTap
{
    private readonly ArrayPool<float> _pool;
    private readonly int _size;
    private readonly int _hop;
    private readonly int _bins;
    private readonly RealFftPlan _fft;
    private readonly float[] _window;
    private readonly SpectralState _state;
    private readonly List<float> _complex;
    private readonly List<float> _rms;
    private readonly List<float> _melFlux;
    private readonly List<float> _infoGain;

    // Samples not yet behind every frame: _pending[0] is absolute sample _pendingStart; frame k starts at k · hop.
    private float[]? _pending;
    private int _pendingCount;
    private long _pendingStart;
    private long _total;
    private int _frame;

    // Frame-major ERB band values (frame t's band b at t · Stride + b), and the per-bin differences of the frames
    // whose projection is still to be made (projected ErbProjection.Block frames at a time).
    private float[]? _erbBands;
    private float[]? _work;
    private int _unprojected;
    private bool _completed;

    // Frames are taken a batch at a time (about 1.5 s at 44.1 kHz), not as each block of the decoder arrives: between
    // the decoder's blocks the filter banks and spectra would leave the cache to the loudness meter and resampler.
    private const int PendingSamples = 1 << 16;

    public OnsetFunctionsBuilder(int sampleRate, ArrayPool<float> pool)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        SampleRate = sampleRate;
        _pool = pool;
        _size = OnsetFunctions.FrameLength(sampleRate);
        _hop = _size / 4;
        _fft = RealFftPlan.For(_size);
        _bins = _fft.BinCount;
        _window = Windows.NormalisedHann(_size);
        _state = new SpectralState(_bins, (double)sampleRate / _size, sampleRate, _size);
        _complex = [];
        _rms = [];
        _melFlux = [];
        _infoGain = [];
        _pending = pool.Rent(Math.Max(PendingSamples, 4 * _size));
        _work = pool.Rent((2 * _size) + (2 * _bins) + (ErbProjection.Block * _bins));
        _erbBands = pool.Rent(256 * ErbProjection.Stride);
    }

    /// <inheritdoc/>
    public int SampleRate { get; }

    /// <inheritdoc/>
    public void Reserve(long samples)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        int fastFrames = FrameCount(Math.Max(samples, _total), _size, _hop);
        if (fastFrames * ErbProjection.Stride > _erbBands!.Length)
        {
            GrowBands(fastFrames);
        }

        _infoGain.EnsureCapacity(fastFrames);
        int slowFrames = (fastFrames / 2) + 1;
        _complex.EnsureCapacity(slowFrames);
        _rms.EnsureCapacity(slowFrames);
        _melFlux.EnsureCapacity(slowFrames);
    }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<float> samples)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        float[] pending = _pending!;
        while (!samples.IsEmpty)
        {
            int take = Math.Min(samples.Length, pending.Length - _pendingCount);
            samples[..take].CopyTo(pending.AsSpan(_pendingCount));
            _pendingCount += take;
            _total += take;
            samples = samples[take..];
            if (_pendingCount < pending.Length)
            {
                return;
            }

            // Every frame that lies wholly inside what has arrived.
            int offset = (int)(((long)_frame * _hop) - _pendingStart);
            while (offset + _size <= _pendingCount)
            {
                Frame(pending.AsSpan(offset, _size), fast: true, slow: (_frame & 1) == 0);
                offset += _hop;
            }

            pending.AsSpan(offset, _pendingCount - offset).CopyTo(pending);
            _pendingCount -= offset;
            _pendingStart += offset;
        }
    }

    /// <summary>
    /// Takes the frames that reach past the end (zero-padded) and returns the five functions. The builder is spent
    /// afterwards: its pooled buffers are returned.
    /// </summary>
    public OnsetFunctions Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        int fastFrames = FrameCount(_total, _size, _hop);
        int slowFrames = FrameCount(_total, _size, 2 * _hop);
        int frames = Math.Max(fastFrames, (2 * (slowFrames - 1)) + 1);
        float[] pending = _pending!;
        while (_frame < frames)
        {
            int offset = (int)(((long)_frame * _hop) - _pendingStart);
            int available = Math.Clamp(_pendingCount - offset, 0, _size);
            Frame(pending.AsSpan(Math.Min(offset, _pendingCount), available), fast: _frame < fastFrames, slow: (_frame & 1) == 0 && _frame / 2 < slowFrames);
        }

        Project();
        double fastRate = (double)SampleRate / _hop;
        float[] beatEmphasis = BeatEmphasis.Combine(_erbBands!, ErbProjection.Stride, _infoGain.Count, fastRate, _pool);
        var result = new OnsetFunctions([.. _complex], [.. _rms], [.. _melFlux], beatEmphasis, [.. _infoGain], (double)SampleRate / (2 * _hop), fastRate);
        Dispose();
        return result;
    }

    public void Dispose()
    {
        _completed = true;
        Return(ref _pending);
        Return(ref _work);
        Return(ref _erbBands);
    }

    /// <summary>Frames from the first sample every <paramref name="hop"/>: the last is the first to reach the end (zero-padded).</summary>
    internal static int FrameCount(long length, int size, int hop) =>
        length == 0 ? 0 : length <= size ? 1 : checked((int)(((length - size + hop - 1) / hop) + 1));

    private void Frame(ReadOnlySpan<float> samples, bool fast, bool slow)
    {
        float[] work = _work!;
        Span<float> frame = work.AsSpan(0, _size);
        Span<float> scratch = work.AsSpan(_size, _size);
        Span<float> re = work.AsSpan(2 * _size, _bins);
        Span<float> im = work.AsSpan((2 * _size) + _bins, _bins);
        TensorPrimitives.Multiply(samples, _window.AsSpan(0, samples.Length), frame[..samples.Length]);
        frame[samples.Length..].Clear();
        _fft.Forward(frame, scratch, re, im);

        // The last slow frame (past the fast sequence's end) writes a difference no projection reads.
        Span<float> difference = work.AsSpan((2 * _size) + (2 * _bins) + (_unprojected * _bins), _bins);
        float complex = _state.Load(re, im, difference, slow);
        if (fast)
        {
            _infoGain.Add(_state.InfoGain());
            if (++_unprojected == ErbProjection.Block)
            {
                Project();
            }
        }

        if (slow)
        {
            (float rms, float melFlux) = _state.SlowFunctions(_complex.Count == 0);
            _complex.Add(complex);
            _rms.Add(rms);
            _melFlux.Add(melFlux);
        }

        _state.Advance();
        _frame++;
    }

    /// <summary>Projects the frames' per-bin differences still waiting onto the ERB bands, growing the band matrix as needed.</summary>
    private void Project()
    {
        if (_unprojected == 0)
        {
            return;
        }

        int frames = _infoGain.Count;
        int first = frames - _unprojected;
        if (_erbBands!.Length < frames * ErbProjection.Stride)
        {
            GrowBands(2 * frames);
        }

        ErbProjection.Project(
            _state.ErbWeights,
            _bins,
            _work!.AsSpan((2 * _size) + (2 * _bins), ErbProjection.Block * _bins),
            _unprojected,
            _erbBands.AsSpan(first * ErbProjection.Stride, _unprojected * ErbProjection.Stride));
        _unprojected = 0;
    }

    /// <summary>Moves the band matrix to a pooled array with room for <paramref name="frames"/> frames.</summary>
    private void GrowBands(int frames)
    {
        float[] bands = _erbBands!;
        float[] larger = _pool.Rent(frames * ErbProjection.Stride);
        bands.AsSpan(0, (_infoGain.Count - _unprojected) * ErbProjection.Stride).CopyTo(larger);
        _pool.Return(bands);
        _erbBands = larger;
    }

    private void Return(ref float[]? buffer)
    {
        float[]? rented = Interlocked.Exchange(ref buffer, null);
        if (rented is not null)
        {
            _pool.Return(rented);
        }
    }
}
