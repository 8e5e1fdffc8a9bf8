namespace MusicClassification;

/// <summary>The spectral shape of the analysed excerpt (librosa's definitions, n_fft 2048, hop 512), summarised over frames.</summary>
public sealed record SpectralSummary
{
    /// <summary>Gets the spectral centroid (Hz): where the magnitude spectrum's weight sits; brightness.</summary>
    public required Statistics CentroidHz { get; init; }

    /// <summary>Gets the spectral bandwidth (Hz): the spread around the centroid.</summary>
    public required Statistics BandwidthHz { get; init; }

    /// <summary>Gets the 85 % roll-off frequency (Hz).</summary>
    public required Statistics RolloffHz { get; init; }

    /// <summary>Gets the spectral flatness (0 … 1): near 0 for tones, towards 1 for noise.</summary>
    public required Statistics Flatness { get; init; }
}
