using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MusicClassification.Host.Uploads;

/// <summary>Finds the song in a request: the first file part of a multipart form, or else the raw body.</summary>
internal static class SongUploadReader
{
    /// <summary>Spools the song to disk; returns the upload and the name the client gave it (used only as an id).</summary>
    public static async Task<(SpooledUpload? Upload, string? FileName)> ReadAsync(HttpRequest request, UploadSpooler spooler, CancellationToken cancellationToken)
    {
        if (!IsMultipart(request, out string? boundary))
        {
            return (await spooler.SpoolAsync(request.Body, cancellationToken), null);
        }

        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
            {
                string? name = disposition.FileName.HasValue ? disposition.FileName.Value : disposition.Name.Value;
                return (await spooler.SpoolAsync(section.Body, cancellationToken), name);
            }
        }

        return (null, null);
    }

    private static bool IsMultipart(HttpRequest request, out string boundary)
    {
        boundary = string.Empty;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value ?? string.Empty;
        return boundary.Length > 0;
    }
}
