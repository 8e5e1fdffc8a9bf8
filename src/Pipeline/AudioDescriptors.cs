namespace MusicClassification;

/// <summary>Measured facts about a decoded song. Every value is computed from the audio; nothing is guessed.</summary>
public sealed record AudioDescriptors
{
    /// <summary>Gets the container and sample encoding that was decoded, such as <c>wav/pcm16</c>.</summary>
    public required string Format { get; init; }

    /// <summary>
    /// Gets the song's full length in seconds, when known: declared by its container or measured by decoding it to the
    /// end. <see langword="null"/> when decoding stopped at the end of the analysis window of a song whose container does
    /// not declare its length.
    /// </summary>
    public required double? DurationSeconds { get; init; }

    /// <summary>Gets where the analysed window starts in the song, in seconds (0 unless the window is the song's middle).</summary>
    public required double WindowStartSeconds { get; init; }

    /// <summary>Gets the length in seconds of the audio that was analysed (the analysis window, or the whole song).</summary>
    public required double AnalysedSeconds { get; init; }

    /// <summary>Gets the song's own sample rate in hertz.</summary>
    public required int SampleRate { get; init; }

    /// <summary>Gets the song's own channel count (the analysis uses the mean of the channels).</summary>
    public required int Channels { get; init; }

    /// <summary>Gets the sample rate in hertz of the mono signal that was analysed.</summary>
    public required int AnalysisSampleRate { get; init; }

    /// <summary>Gets the RMS level of the analysed mono signal in dBFS (a full-scale sine is −3.01 dBFS; digital silence is reported as −120).</summary>
    public required double RmsDbfs { get; init; }

    /// <summary>Gets the sample peak of the analysed mono signal in dBFS (digital silence is reported as −120).</summary>
    public required double PeakDbfs { get; init; }
}
