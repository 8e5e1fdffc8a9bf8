using Microsoft.AspNetCore.Mvc;

namespace MusicClassification.Host.Problems;

/// <summary>The one mapping from a song's failure to an HTTP status and RFC 9457 problem details.</summary>
internal static class SongErrorHttp
{
    public static int StatusCode(SongErrorCode code) => code switch
    {
        SongErrorCode.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        SongErrorCode.CorruptAudio or SongErrorCode.EmptyAudio => StatusCodes.Status422UnprocessableEntity,
        SongErrorCode.TooLong => StatusCodes.Status413PayloadTooLarge,
        SongErrorCode.Timeout => StatusCodes.Status504GatewayTimeout,
        SongErrorCode.Cancelled => StatusCodes.Status503ServiceUnavailable,
        SongErrorCode.DecoderMissing => StatusCodes.Status501NotImplemented,
        SongErrorCode.Rejected => StatusCodes.Status422UnprocessableEntity,
        SongErrorCode.InsufficientMemory => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDetails ToProblem(SongError error, string? songId = null)
    {
        ProblemDetails problem = HostProblems.Create(StatusCode(error.Code), error.Code.ToWireName(), Title(error.Code), error.Message);
        if (songId is not null)
        {
            problem.Extensions["songId"] = songId;
        }

        return problem;
    }

    private static string Title(SongErrorCode code) => code switch
    {
        SongErrorCode.UnsupportedFormat => "Unsupported audio format",
        SongErrorCode.CorruptAudio => "Corrupt audio",
        SongErrorCode.EmptyAudio => "No audio in the song",
        SongErrorCode.TooLong => "Song too long",
        SongErrorCode.Timeout => "Song timed out",
        SongErrorCode.Cancelled => "Song cancelled",
        SongErrorCode.DecoderMissing => "Decoder not available",
        SongErrorCode.ModelError => "Model failed",
        SongErrorCode.Rejected => "Song refused by a service limit",
        SongErrorCode.InsufficientMemory => "Not enough memory for the song",
        _ => "Internal error",
    };
}
