namespace MusicClassification;

/// <summary>
/// The key profile a song's mean harmonic pitch class profile is correlated with (Essentia's <c>Key</c> profiles, the
/// same numbers); each describes how strongly every pitch class belongs to a major and to a minor key.
/// </summary>
public enum KeyProfile
{
    /// <summary>Profiles learnt from a corpus of electronic dance music (Faraldo et al., 2016); the default, and the best general choice measured.</summary>
    Edma,

    /// <summary>Beatport medians with the four least relevant pitch classes set to zero (Faraldo et al., 2017); Essentia's default.</summary>
    Bgate,

    /// <summary>Beatport medians (Faraldo et al., 2017).</summary>
    Braw,

    /// <summary>The EDM profiles tweaked by hand; reports major keys, rare in EDM, as minor (Faraldo et al., 2016).</summary>
    Edmm,

    /// <summary>Krumhansl's profiles tuned to popular and electronic music (Sha'ath, 2011).</summary>
    Shaath,

    /// <summary>Krumhansl–Kessler probe-tone profiles from listening experiments (1982).</summary>
    Krumhansl,

    /// <summary>Temperley's profiles from a corpus of classical music (1999); best on that repertoire, minor especially.</summary>
    Temperley,

    /// <summary>Temperley's 2005 corpus profiles.</summary>
    Temperley2005,

    /// <summary>Profiles from Bach's Well-Tempered Clavier (Noland).</summary>
    Noland,

    /// <summary>Gómez's profiles for polyphonic audio (2006).</summary>
    Gomez,

    /// <summary>Binary profiles: the diatonic notes of each mode; for music that is diatonic but not functionally tonal.</summary>
    Diatonic,
}
