namespace MusicClassification;

/// <summary>Which part of a song is decoded and analysed.</summary>
public enum AnalysisWindow
{
    /// <summary>The whole song, up to <see cref="DecodingOptions.MaxDuration"/>.</summary>
    WholeTrack,

    /// <summary>The first <see cref="DecodingOptions.WindowLength"/> of the song; decoding stops there.</summary>
    Start,

    /// <summary>
    /// The <see cref="DecodingOptions.WindowLength"/> centred on the middle of the song, where the song's length is
    /// declared by its container (WAV, MP4, FLAC, Ogg, most MP3 with a Xing/Info header); otherwise the first
    /// <see cref="DecodingOptions.WindowLength"/>. Decoding stops at the end of the window.
    /// </summary>
    Middle,
}
