using System.Buffers;
using System.Numerics.Tensors;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Resampling;
using MusicClassification.Dsp.Loudness;

namespace MusicClassification.Decoding;

/// <summary>
/// Collects a song's mono samples at its own rate and writes the analysis window of them at the analysis rate into one
/// pooled buffer, via the band-limited resampler when the rates differ. Shared by every decoder so mixing, windowing,
/// resampling, the duration cap and the finite-sample check live in one place. A <see cref="IWindowTap"/>, when given,
/// reads the same window's mono mix at its own rate as it goes by.
/// </summary>
internal sealed class AnalysisSignalBuilder : IDisposable
{
    public const int BlockSize = 4096;

    private readonly DecodingOptions _options;
    private readonly ArrayPool<float> _pool;
    private readonly int _channels;
    private readonly Dsp.Loudness.LoudnessMeter _loudness;
    private float[]? _mono;
    private readonly PcmBuffer _output;
    private readonly StreamingResampler? _resampler;
    private readonly ResamplerPlan? _plan;
    private readonly WindowTapFeed? _tap;
    private readonly int _sourceRate;
    private readonly long _maxSourceFrames;
    private readonly long _windowFrames;
    private long _skipFrames;
    private long _keptFrames;
    private bool _windowPlaced;

    public AnalysisSignalBuilder(int sourceRate, int channels, DecodingOptions options, ArrayPool<float> pool, Func<IWindowTap>? tap = null)
    {
        _options = options;
        _pool = pool;
        _channels = channels;
        _loudness = new Dsp.Loudness.LoudnessMeter(sourceRate, channels);
        _mono = pool.Rent(BlockSize);
        _sourceRate = sourceRate;
        AnalysisRate = options.AnalysisSampleRate;
        _maxSourceFrames = Frames(options.MaxDuration);
        _windowFrames = options.Window == AnalysisWindow.WholeTrack ? _maxSourceFrames : Math.Min(Frames(options.WindowLength), _maxSourceFrames);
        _plan = sourceRate == AnalysisRate ? null : ResamplerPlan.For(sourceRate, AnalysisRate);
        _output = new PcmBuffer(0, (int)Math.Min(OutputLength(_windowFrames), Array.MaxLength), pool);
        _resampler = _plan is null ? null : new StreamingResampler(_plan, BlockSize, pool);
        _tap = tap is null ? null : new WindowTapFeed(tap(), sourceRate, BlockSize, pool);
    }

    public int AnalysisRate { get; }

    /// <summary>Gets how many source frames have been read, including those outside the window.</summary>
    public long SourceFrames { get; private set; }

    /// <summary>Gets the song's total length in source frames when its container declared it.</summary>
    public long? DeclaredFrames { get; private set; }

    /// <summary>Gets a value indicating whether the window is complete, so the decoder can stop reading.</summary>
    public bool IsFull => _windowPlaced && _keptFrames >= _windowFrames;

    /// <summary>
    /// Places the window once the song's length is known (or known to be unknown), and fails fast when a declared length
    /// is over the cap. Must be called before the first <see cref="Write"/>.
    /// </summary>
    public void PlaceWindow(long? declaredFrames)
    {
        if (declaredFrames > _maxSourceFrames)
        {
            throw TooLong(declaredFrames.Value);
        }

        DeclaredFrames = declaredFrames;
        if (_options.Window == AnalysisWindow.Middle && declaredFrames is long total && total > _windowFrames)
        {
            _skipFrames = (total - _windowFrames) / 2;
        }

        // Size the buffer once: the declared length, else the whole window (one pooled size, reused song after song),
        // never the whole MaxDuration on a guess.
        long expected = declaredFrames is long known
            ? Math.Min(known - _skipFrames, _windowFrames)
            : (_options.Window == AnalysisWindow.WholeTrack ? 0 : _windowFrames);
        _output.Reserve(OutputLength(expected));
        _tap?.Reserve(expected);
        _windowPlaced = true;
    }

    /// <summary>Gets how many leading frames can be skipped without decoding them (they lie before the window).</summary>
    public long FramesBeforeWindow => Math.Max(0, _skipFrames - SourceFrames);

    /// <summary>Records frames the decoder skipped without decoding (at most <see cref="FramesBeforeWindow"/>).</summary>
    public void Skipped(long frames)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, FramesBeforeWindow);
        SourceFrames += frames;
    }

    /// <summary>Adds interleaved frames (all channels, the song's own rate): the window's part is metered for loudness, mixed to mono and resampled.</summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        if (!_windowPlaced)
        {
            PlaceWindow(null);
        }

        if (!float.IsFinite(TensorPrimitives.Sum(interleaved)))
        {
            throw SongFailureException.Corrupt("The audio contains NaN, infinite or absurdly large samples.");
        }

        int frames = interleaved.Length / _channels;
        long position = SourceFrames;
        SourceFrames += frames;
        if (SourceFrames > _maxSourceFrames)
        {
            throw TooLong(SourceFrames);
        }

        // Keep only the part of this block that falls inside [skip, skip + window).
        long start = Math.Max(0, _skipFrames - position);
        long end = Math.Min(frames, _skipFrames + _windowFrames - position);
        if (end <= start)
        {
            return;
        }

        ReadOnlySpan<float> kept = interleaved[(int)(start * _channels)..(int)(end * _channels)];
        _loudness.Add(kept);
        float[] monoBuffer = _mono ?? throw new ObjectDisposedException(nameof(AnalysisSignalBuilder));
        for (int offset = 0; offset < kept.Length; offset += BlockSize * _channels)
        {
            ReadOnlySpan<float> chunk = kept.Slice(offset, Math.Min(BlockSize * _channels, kept.Length - offset));
            Span<float> mono = monoBuffer.AsSpan(0, chunk.Length / _channels);
            PcmConverter.MixToMono(chunk, _channels, mono);
            _keptFrames += mono.Length;
            _tap?.Write(mono);
            if (_resampler is null)
            {
                _output.Append(mono);
            }
            else
            {
                _resampler.Process(mono, _output);
            }
        }
    }

    public DecodedAudio Complete(string format)
    {
        if (_keptFrames == 0)
        {
            throw SourceFrames == 0
                ? new SongFailureException(SongErrorCode.EmptyAudio, "The song contains no audio samples.")
                : WindowPastEnd(SourceFrames);
        }

        _resampler?.Flush(_output);

        // Read to its end, the song's length is what was decoded (a truncated file's header may claim more); stopped at
        // the end of the window, it is what the container declared, if anything.
        long? total = IsFull ? DeclaredFrames : SourceFrames;
        var source = new AudioSourceInfo(
            format,
            _sourceRate,
            _channels,
            total is long frames ? (double)frames / _sourceRate : null,
            (double)_skipFrames / _sourceRate,
            _loudness.Result());
        DecodedAudio audio = _output.Detach(AnalysisRate, source);
        audio.Tap = _tap?.Complete();
        return audio;
    }

    public void Dispose()
    {
        _resampler?.Dispose();
        _tap?.Dispose();
        _output.Dispose();
        float[]? mono = Interlocked.Exchange(ref _mono, null);
        if (mono is not null)
        {
            _pool.Return(mono);
        }
    }

    /// <summary>The failure for audio that ends before the window starts; <paramref name="availableFrames"/> is how much there was.</summary>
    public WindowPastEndException WindowPastEnd(long availableFrames) => new(
        availableFrames,
        $"The audio ends at {availableFrames / (double)_sourceRate:0.##} s, before the analysis window its header implies " +
        $"(from {_skipFrames / (double)_sourceRate:0.##} s); the file is probably truncated.");

    private long OutputLength(long sourceFrames) => _plan?.OutputLength(sourceFrames) ?? sourceFrames;

    private long Frames(TimeSpan duration) => (long)Math.Ceiling(duration.TotalSeconds * _sourceRate);

    private SongFailureException TooLong(long frames) => new(
        SongErrorCode.TooLong,
        $"The song lasts at least {frames / (double)_sourceRate:0.#} s; the maximum is {_maxSourceFrames / (double)_sourceRate:0.#} s.");
}
