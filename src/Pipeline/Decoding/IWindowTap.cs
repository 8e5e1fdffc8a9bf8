namespace MusicClassification.Decoding;

/// <summary>
/// Work that reads the analysis window while the song decodes, at a sample rate of its own (the mono mix, resampled
/// for it when the song's rate differs), so that it never needs a second copy of the song. The decoded audio carries
/// it on to the feature stage, which takes its result.
/// </summary>
internal interface IWindowTap : IDisposable
{
    /// <summary>Gets the rate the tap wants its samples at.</summary>
    int SampleRate { get; }

    /// <summary>Says how many samples the window will bring (when the song's length is declared), so buffers are sized once.</summary>
    void Reserve(long samples);

    /// <summary>Takes the next samples of the window's mono mix at <see cref="SampleRate"/>.</summary>
    void Write(ReadOnlySpan<float> samples);
}
