namespace MusicClassification;

/// <summary>Stable wire names for <see cref="SongErrorCode"/>.</summary>
public static class SongErrorCodeExtensions
{
    /// <summary>Returns the stable snake_case name used on the wire and in metrics, such as <c>corrupt_audio</c>.</summary>
    /// <param name="code">The error code.</param>
    /// <returns>The wire name; never changes between versions.</returns>
    public static string ToWireName(this SongErrorCode code) => code switch
    {
        SongErrorCode.UnsupportedFormat => "unsupported_format",
        SongErrorCode.CorruptAudio => "corrupt_audio",
        SongErrorCode.TooLong => "too_long",
        SongErrorCode.Timeout => "timeout",
        SongErrorCode.Cancelled => "cancelled",
        SongErrorCode.DecoderMissing => "decoder_missing",
        SongErrorCode.ModelError => "model_error",
        SongErrorCode.EmptyAudio => "empty_audio",
        SongErrorCode.Rejected => "rejected",
        SongErrorCode.InsufficientMemory => "insufficient_memory",
        _ => "internal_error",
    };

    /// <summary>Parses a wire name produced by <see cref="ToWireName"/>.</summary>
    /// <param name="wireName">The snake_case name.</param>
    /// <param name="code">The code, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is a known code.</returns>
    public static bool TryParseWireName(string? wireName, out SongErrorCode code)
    {
        foreach (SongErrorCode candidate in Enum.GetValues<SongErrorCode>())
        {
            if (string.Equals(candidate.ToWireName(), wireName, StringComparison.Ordinal))
            {
                code = candidate;
                return true;
            }
        }

        code = SongErrorCode.Internal;
        return false;
    }
}
