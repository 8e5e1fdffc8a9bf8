using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// Walks a <c>multipart/form-data</c> body part by part without buffering it: yields the file parts (the songs) and reads
/// past other fields within <see cref="HostLimitsOptions.MaxFormFieldBytes"/>. Header limits per part come from the
/// options; anything malformed becomes an <see cref="InvalidUploadException"/> with a 400/413 problem, never a 500.
/// </summary>
internal sealed class MultipartSongReader
{
    private const int ReadBufferBytes = 64 * 1024;
    private readonly MultipartReader _reader;
    private readonly HostLimitsOptions _limits;

    private MultipartSongReader(string boundary, Stream body, HostLimitsOptions limits)
    {
        _limits = limits;
        // 64 KiB rather than the parser's default 4 KiB: each read of a part hands back at most one buffer, and a 9 MB song
        // read 4 KiB at a time cost ~2 300 reads and spool writes (docs/benchmarks.md, "The upload path").
        _reader = new MultipartReader(boundary, body, ReadBufferBytes)
        {
            HeadersCountLimit = limits.MaxPartHeaders,
            HeadersLengthLimit = limits.MaxPartHeaderBytes,
        };
    }

    /// <summary>Returns a reader when the request is <c>multipart/form-data</c> with a boundary; otherwise null.</summary>
    public static MultipartSongReader? For(HttpRequest request, HostLimitsOptions limits)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value ?? string.Empty;
        if (boundary.Length is 0 or > 200)
        {
            throw new InvalidUploadException(HostProblems.InvalidMultipart("The multipart/form-data Content-Type has no usable boundary."));
        }

        return new MultipartSongReader(boundary, request.Body, limits);
    }

    /// <summary>Moves to the next file part; null at the end of the form. The previous part is drained first.</summary>
    /// <exception cref="InvalidUploadException">The body is not a well-formed form within the limits.</exception>
    public async Task<FilePart?> NextFileAsync(CancellationToken cancellationToken)
    {
        while (await NextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition)
                && disposition.IsFileDisposition())
            {
                string? name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value
                    : disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value
                    : null;
                return new FilePart(new FormPartStream(section.Body), name);
            }

            await SkipFieldAsync(new FormPartStream(section.Body), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<MultipartSection?> NextSectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            // Header count or length over the limit, or a malformed part header.
            throw new InvalidUploadException(HostProblems.InvalidMultipart($"A part of the form is malformed or over the header limits ({_limits.MaxPartHeaders} headers, {_limits.MaxPartHeaderBytes} bytes)."), ex);
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException))
        {
            // The multipart parser's own "unexpected end"; the server's failures (client gone, body limit) are subclasses
            // and are answered by the caller.
            throw new InvalidUploadException(HostProblems.InvalidMultipart("The body ended before the form's closing boundary (or has no boundary at all)."), ex);
        }
    }

    private async Task SkipFieldAsync(Stream field, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        long total = 0;
        int read;
        while ((read = await field.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > _limits.MaxFormFieldBytes)
            {
                throw new InvalidUploadException(HostProblems.Create(
                    StatusCodes.Status413PayloadTooLarge, "field_too_large", "Form field too large",
                    $"A non-file form field is larger than the limit of {_limits.MaxFormFieldBytes} bytes."));
            }
        }
    }

    /// <summary>One file part: its body (read it before asking for the next part) and the file name the client gave.</summary>
    internal sealed record FilePart(Stream Body, string? FileName);
}
