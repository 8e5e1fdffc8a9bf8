namespace MusicClassification;

/// <summary>Measured facts about a decoded song. Every value is computed from the audio; nothing is guessed.</summary>
public sealed record AudioDescriptors
{
    /// <summary>Gets the container and sample encoding that was decoded, such as <c>wav/pcm16</c>.</summary>
    public required string Format { get; init; }

    /// <summary>Gets the duration of the decoded audio in seconds.</summary>
    public required double DurationSeconds { get; init; }

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
