namespace MusicClassification.Features.Mfcc;

/// <summary>Hz ↔ mel conversions: Slaney's (Auditory Toolbox, librosa's default) and HTK's.</summary>
internal enum MelScale
{
    /// <summary>Linear below 1 kHz (200/3 Hz per mel), logarithmic above (27 mels per factor 6.4).</summary>
    Slaney,

    /// <summary>mel = 2595·log10(1 + f/700).</summary>
    Htk,
}
