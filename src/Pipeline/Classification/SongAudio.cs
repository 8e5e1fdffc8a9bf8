using System.Buffers;
namespace MusicClassification.Classification;

/// <summary>
/// A song's analysed window as a classifier sees it in <see cref="ISongClassifier{TInput}.Prepare"/>: mono samples at the
/// analysis rate. A ref struct so the pooled buffer behind it cannot be kept past the call.
/// </summary>
public readonly ref struct SongAudio
{
    internal SongAudio(ReadOnlySpan<float> samples, int sampleRate, ArrayPool<float> bufferPool)
    {
        BufferPool = bufferPool;
        Samples = samples;
        SampleRate = sampleRate;
    }

    /// <summary>Gets the mono samples, −1 … 1.</summary>
    public ReadOnlySpan<float> Samples { get; }

    /// <summary>
    /// Gets the pipeline's buffer pool (<see cref="PipelineOptions.BufferPool"/>), for scratch buffers: return what you
    /// rent before <see cref="ISongClassifier{TInput}.Prepare"/> returns.
    /// </summary>
    public ArrayPool<float> BufferPool { get; }

    /// <summary>Gets the sample rate in Hz (<see cref="DecodingOptions.AnalysisSampleRate"/>).</summary>
    public int SampleRate { get; }
}
