using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// The checks every many-song upload (a batch, a job) makes before reading a byte of its body: a multipart form with a
/// usable boundary, a declared length within <see cref="HostLimitsOptions.MaxBatchBytes"/>; then Kestrel's body cap is
/// raised to that limit for this request only.
/// </summary>
internal static class FormRequest
{
    /// <summary>The form's reader, or null with the refusal.</summary>
    /// <param name="context">The request.</param>
    /// <param name="limits">The host's limits.</param>
    /// <param name="what">What the form carries, for the refusal's sentence ("batch", "job").</param>
    /// <param name="refusal">Why the request is refused, when it is.</param>
    public static MultipartSongReader? Open(HttpContext context, HostLimitsOptions limits, string what, out ProblemDetails? refusal)
    {
        MultipartSongReader? form;
        try
        {
            form = MultipartSongReader.For(context.Request, limits);
        }
        catch (InvalidUploadException invalid)
        {
            refusal = invalid.Problem;
            return null;
        }

        refusal = form is null ? HostProblems.InvalidMultipart($"Send the {what} as multipart/form-data with one file part per song.")
            : context.Request.ContentLength > limits.MaxBatchBytes ? HostProblems.RequestTooLarge(limits.MaxBatchBytes)
            : null;
        if (refusal is not null)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limits.MaxBatchBytes;
        }

        return form;
    }
}
