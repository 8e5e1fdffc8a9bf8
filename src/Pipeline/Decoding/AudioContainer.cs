namespace MusicClassification.Decoding;

/// <summary>The container or stream format recognised from a song's first bytes.</summary>
internal enum AudioContainer
{
    Unknown,
    Wave,
    Rf64,
    Mp3,
    Mp4,
    Flac,
    OggVorbis,
    OggOpus,
    OggFlac,
    Ogg,
    Aac,
    Aiff,
    Matroska,
    Asf,
}
