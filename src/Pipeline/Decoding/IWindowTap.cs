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

    /// <summary>Takes the next samples of the window's mono mix at <see cref="SampleRate"/>.</summary>
    void Write(ReadOnlySpan<float> samples);
}
