using Microsoft.AspNetCore.Http.Features;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// Reads the one song of a <c>/classify</c> request into the spool: the first file part of a multipart form, or else
/// the raw body. Refuses a declared size over the limit before reading a byte (so no <c>100 Continue</c> is sent).
/// </summary>
internal static class SingleSongUpload
{
    /// <summary>Room for a multipart envelope (boundaries, part headers, small fields) around one song.</summary>
    public static long EnvelopeBytes(HostLimitsOptions limits) => 64 * 1024 + limits.MaxPartHeaderBytes + limits.MaxFormFieldBytes;

    /// <summary>The problem to answer before reading the body, or null when the request may be read.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails? Precheck(HttpRequest request, HostLimitsOptions limits, UploadSpool spool)
    {
        long requestLimit = limits.MaxUploadBytes + EnvelopeBytes(limits);
        if (request.ContentLength > requestLimit)
        {
            return SongErrorHttp.ToProblem(new SongError(SongErrorCode.TooLong, new UploadTooLargeException(limits.MaxUploadBytes).Message));
        }

        if (!spool.HasRoomFor(request.ContentLength ?? 0))
        {
            return HostProblems.ServerBusy("upload storage");
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = requestLimit;
        }

        return null;
    }

    /// <summary>Spools the song; returns it with the name the client gave it, or null when a form holds no file part.</summary>
    public static async Task<(SpooledUpload? Upload, string? FileName)> ReadAsync(
        HttpRequest request, UploadSpool spool, HostLimitsOptions limits, CancellationToken cancellationToken)
    {
        MultipartSongReader? form = MultipartSongReader.For(request, limits);
        if (form is null)
        {
            return (await spool.SpoolAsync(request.Body, limits.MaxUploadBytes, waitForRoom: false, cancellationToken).ConfigureAwait(false), null);
        }

        MultipartSongReader.FilePart? part = await form.NextFileAsync(cancellationToken).ConfigureAwait(false);
        if (part is null)
        {
            return (null, null);
        }

        return (await spool.SpoolAsync(part.Body, limits.MaxUploadBytes, waitForRoom: false, cancellationToken).ConfigureAwait(false), part.FileName);
    }
}
