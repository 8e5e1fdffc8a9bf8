namespace MusicClassification;

/// <summary>
/// Fails the song being processed with a specific <see cref="SongErrorCode"/>: throw it from an
/// <see cref="Classification.ISongClassifier"/> (or any code the pipeline runs for one song) and that song, and only that
/// song, gets <see cref="SongError"/> with <see cref="Code"/> and <see cref="Exception.Message"/>. It never escapes the
/// pipeline. The message reaches the caller (and a service's clients), so it must name no path, address or tool output;
/// such details go in <see cref="Detail"/>, which is only logged. Any other exception fails the song with
/// <c>internal_error</c> and a fixed message.
/// </summary>
public class SongFailureException : Exception
{
    /// <summary>Initializes a new instance that fails the song with <paramref name="code"/>.</summary>
    /// <param name="code">The song's error code (for a model that cannot run on this song: <see cref="SongErrorCode.ModelError"/>).</param>
    /// <param name="message">What the caller is told; a fixed sentence, safe to show a client.</param>
    public SongFailureException(SongErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Initializes a new instance that fails the song with <paramref name="code"/>, keeping what caused it for the log.</summary>
    /// <param name="code">The song's error code.</param>
    /// <param name="message">What the caller is told; a fixed sentence, safe to show a client.</param>
    /// <param name="innerException">What went wrong underneath (logged, never shown).</param>
    public SongFailureException(SongErrorCode code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Gets the code the song fails with.</summary>
    public SongErrorCode Code { get; }

    /// <summary>Gets what an operator needs to know and a client must not see (a tool's own words, a file system error).</summary>
    public string? Detail { get; init; }

    internal static SongFailureException Corrupt(string message) => new(SongErrorCode.CorruptAudio, message);

    internal static SongFailureException Unsupported(string message) => new(SongErrorCode.UnsupportedFormat, message);
}
