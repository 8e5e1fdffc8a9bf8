namespace MusicClassification;

/// <summary>
/// Thrown inside a stage to fail the current song with a specific code; caught at the stage edge, never escapes the
/// library. The message reaches the caller (and a service's clients), so it names no path, address or tool output;
/// such details go in <see cref="Detail"/>, which is only logged.
/// </summary>
internal class SongFailureException : Exception
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

    /// <summary>Gets what an operator needs to know and a client must not see (FFmpeg's own words, a file system error).</summary>
    public string? Detail { get; init; }

    public static SongFailureException Corrupt(string message) => new(SongErrorCode.CorruptAudio, message);

    public static SongFailureException Unsupported(string message) => new(SongErrorCode.UnsupportedFormat, message);
}
