namespace MusicClassification;

/// <summary>Thrown inside a stage to fail the current song with a specific code; caught at the stage edge, never escapes the library.</summary>
internal sealed class SongFailureException : Exception
{
    public SongFailureException(SongErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public SongFailureException(SongErrorCode code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public SongErrorCode Code { get; }

    public static SongFailureException Corrupt(string message) => new(SongErrorCode.CorruptAudio, message);

    public static SongFailureException Unsupported(string message) => new(SongErrorCode.UnsupportedFormat, message);
}
