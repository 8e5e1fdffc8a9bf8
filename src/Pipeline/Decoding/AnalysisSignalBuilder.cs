using System.Numerics.Tensors;

namespace MusicClassification.Decoding;

/// <summary>
/// Collects a song's mono samples at its own rate and writes them at the analysis rate into one pooled buffer, via the
/// band-limited resampler when the rates differ. Shared by every decoder so mixing, resampling, the duration cap and
/// the finite-sample check live in one place.
/// </summary>
internal sealed class AnalysisSignalBuilder : IDisposable
{
    public const int BlockSize = 4096;

    private readonly PcmBuffer _output;
    private readonly StreamingResampler? _resampler;
    private readonly int _sourceRate;
    private readonly long _maxSourceFrames;

    public AnalysisSignalBuilder(int sourceRate, int analysisRate, long expectedSourceFrames, TimeSpan maxDuration)
    {
        _sourceRate = sourceRate;
        AnalysisRate = analysisRate;
        _maxSourceFrames = (long)Math.Ceiling(maxDuration.TotalSeconds * sourceRate);
        ResamplerPlan? plan = sourceRate == analysisRate ? null : ResamplerPlan.For(sourceRate, analysisRate);
        long maxOutput = plan?.OutputLength(_maxSourceFrames) ?? _maxSourceFrames;
        long expectedOutput = plan?.OutputLength(expectedSourceFrames) ?? expectedSourceFrames;
        _output = new PcmBuffer((int)Math.Min(expectedOutput, maxOutput), (int)Math.Min(maxOutput, Array.MaxLength));
        _resampler = plan is null ? null : new StreamingResampler(plan, BlockSize);
    }

    public int AnalysisRate { get; }

    public long SourceFrames { get; private set; }

    /// <summary>Fails fast, before any decoding, when a header already declares more audio than the cap allows.</summary>
    public void EnsureWithinLimit(long declaredSourceFrames)
    {
        if (declaredSourceFrames > _maxSourceFrames)
        {
            throw TooLong(declaredSourceFrames);
        }
    }

    public void Write(ReadOnlySpan<float> mono)
    {
        if (!float.IsFinite(TensorPrimitives.Sum(mono)))
        {
            throw SongFailureException.Corrupt("The audio contains NaN, infinite or absurdly large samples.");
        }

        SourceFrames += mono.Length;
        if (SourceFrames > _maxSourceFrames)
        {
            throw TooLong(SourceFrames);
        }

        if (_resampler is null)
        {
            _output.Append(mono);
        }
        else
        {
            _resampler.Process(mono, _output);
        }
    }

    public DecodedAudio Complete(AudioSourceInfo source)
    {
        if (SourceFrames == 0)
        {
            throw new SongFailureException(SongErrorCode.EmptyAudio, "The song contains no audio samples.");
        }

        _resampler?.Flush(_output);
        return _output.Detach(AnalysisRate, source);
    }

    public void Dispose()
    {
        _resampler?.Dispose();
        _output.Dispose();
    }

    private SongFailureException TooLong(long frames) => new(
        SongErrorCode.TooLong,
        $"The song lasts at least {frames / (double)_sourceRate:0.#} s; the maximum is {_maxSourceFrames / (double)_sourceRate:0.#} s.");
}
