using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Mvc;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Uploads;

/// <summary>What a failure while reading a request body means for the client: a problem to answer, or nothing (it went away).</summary>
internal static class UploadFailures
{
    /// <summary>True for the failures <see cref="Describe"/> answers; anything else (a full disk, a bug) is a server error.</summary>
    public static bool IsUploadFailure(Exception exception) =>
        exception is InvalidUploadException or UploadTooLargeException or SpoolFullException or OperationCanceledException
            or BadHttpRequestException or ConnectionResetException;

    /// <summary>
    /// The problem for an upload failure, or null when the client disconnected (nobody to answer, and not a server error:
    /// logged at debug level only).
    /// </summary>
    public static ProblemDetails? Describe(Exception exception, HttpContext context, long requestLimit, TimeSpan uploadTimeout) => exception switch
    {
        ConnectionResetException => null,
        _ when context.RequestAborted.IsCancellationRequested => null,
        InvalidUploadException invalid => invalid.Problem,
        UploadTooLargeException tooLarge => SongErrorHttp.ToProblem(new SongError(SongErrorCode.TooLong, tooLarge.Message)),
        SpoolFullException => HostProblems.ServerBusy("upload storage"),
        OperationCanceledException => HostProblems.UploadTimeout(uploadTimeout),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => HostProblems.RequestTooLarge(requestLimit),
        // Kestrel's minimum data rate (Limits:MinUploadBytesPerSecond after its grace period), not the upload deadline.
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => HostProblems.UploadTooSlow(),
        _ => HostProblems.Create(StatusCodes.Status400BadRequest, "incomplete_body", "Request body cut off", "The request body ended before the length it declared."),
    };
}
