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

    /// <summary>
    /// Gets the EBU R128 integrated loudness in LUFS (ITU-R BS.1770-4, gated), measured on all channels at the song's own
    /// rate over the analysed window; <see langword="null"/> when the audio never rises above the −70 LUFS gate.
    /// </summary>
    public double? LoudnessLufs { get; init; }

    /// <summary>Gets the EBU Tech 3342 loudness range in LU over the analysed window, or <see langword="null"/> when it is too short or too quiet.</summary>
    public double? LoudnessRangeLu { get; init; }

    /// <summary>Gets the maximum true peak over all channels in dBTP (4× oversampled); −120 for digital silence.</summary>
    public double? TruePeakDbtp { get; init; }

    /// <summary>
    /// Gets the tempo in beats per minute of the analysed window, as Essentia's <c>RhythmExtractor2013</c> (multi-feature)
    /// defines it: beats tracked from five onset detection functions, the sequence they agree on most, the mean of its
    /// beat-to-beat tempi near the most common one; 40 … 208 BPM, 0 when there are no beats. The GTZAN <c>tempo</c> column
    /// keeps librosa's own definition.
    /// </summary>
    public double? TempoBpm { get; init; }

    /// <summary>
    /// Gets how much the five beat trackers agree, Essentia's own number (the mean information gain between their beat
    /// sequences): at most 5 bits, slightly below 0 when they share no pulse. Essentia's guide: above 3.5 the beats are
    /// very likely right, below 1.5 they are poor; at or below 0 there is no beat to speak of (docs/tempo-and-key.md).
    /// </summary>
    public double? TempoConfidence { get; init; }

    /// <summary>Gets the share (0 … 1) of beat-to-beat intervals whose tempo is within 5 BPM of <see cref="TempoBpm"/>: 1 for a steady pulse.</summary>
    public double? BeatRegularity { get; init; }

    /// <summary>
    /// Gets the key's tonic (<c>C</c>, <c>C#</c>, … <c>B</c>) of the analysed window, found as Essentia's
    /// <c>KeyExtractor</c> finds it (harmonic pitch class profile, <see cref="FeatureOptions.KeyProfile"/>), or
    /// <see langword="null"/> when there is no pitch content.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>Gets the mode, <c>major</c> or <c>minor</c>, or <see langword="null"/> with <see cref="Key"/>.</summary>
    public string? Mode { get; init; }

    /// <summary>Gets the key's strength: the Pearson correlation (−1 … 1) between the song's mean pitch class profile and the winning key's profile.</summary>
    public double? KeyStrength { get; init; }

    /// <summary>Gets the spectral shape of the middle 30 s summarised over frames, or <see langword="null"/> when the analysis rate is not 22 050 Hz.</summary>
    public SpectralSummary? Spectral { get; init; }
}
