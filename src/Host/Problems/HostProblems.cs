using Microsoft.AspNetCore.Mvc;

namespace MusicClassification.Host.Problems;

/// <summary>
/// The problems the host itself answers with (limits, keys, malformed requests), each an RFC 9457 problem details with a
/// stable <c>code</c> documented in docs/errors.md. Song failures go through <see cref="SongErrorHttp"/>.
/// </summary>
internal static class HostProblems
{
    public const string DocsBase = "https://github.com/music-classification/pipeline/blob/main/docs/errors.md#";

    public static ProblemDetails Create(int status, string code, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = DocsBase + code };
        problem.Extensions["code"] = code;
        return problem;
    }

    public static ProblemDetails Unauthorized() => Create(
        StatusCodes.Status401Unauthorized, "unauthorized", "API key required", "Send a valid API key in the X-Api-Key header.");

    public static ProblemDetails RateLimited() => Create(
        StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests", "This client sent more requests than its rate allows; retry after the time in Retry-After.");

    public static ProblemDetails TooManyBatches(int limit) => Create(
        StatusCodes.Status429TooManyRequests, "too_many_batches", "Too many batches", $"This client already has {limit} batches running; wait for one to finish.");

    public static ProblemDetails ServerBusy(string what) => Create(
        StatusCodes.Status503ServiceUnavailable, "server_busy", "Service busy", $"The service is at its limit of {what}; retry after the time in Retry-After.");

    public static ProblemDetails BrokerUnavailable() => Create(
        StatusCodes.Status503ServiceUnavailable, "broker_unavailable", "Analysis is unreachable",
        "The message broker that carries job songs to the analysis workers is not reachable right now; existing jobs and results stay readable. Try again later.");

    public static ProblemDetails JobsUnavailable() => Create(
        StatusCodes.Status503ServiceUnavailable, "jobs_unavailable", "Jobs are unavailable",
        "This node's job store could not be opened; the operator has been told why. Songs sent to /classify and /classify/batch are still analysed.");

    public static ProblemDetails ShuttingDown() => Create(
        StatusCodes.Status503ServiceUnavailable, "shutting_down", "Service stopping", "The service is shutting down; retry after the time in Retry-After.");

    public static ProblemDetails RequestTooLarge(long limit) => Create(
        StatusCodes.Status413PayloadTooLarge, "request_too_large", "Request too large", $"The request body is larger than the limit of {limit} bytes.");

    public static ProblemDetails UploadTimeout(TimeSpan limit) => Create(
        StatusCodes.Status408RequestTimeout, "upload_timeout", "Upload too slow", $"The upload did not arrive within {limit.TotalSeconds:0} s.");

    public static ProblemDetails TooManySongs(int limit, int sent) => Create(
        StatusCodes.Status413PayloadTooLarge, "too_many_songs", "Too many songs",
        $"The job holds {sent} songs, more than the limit of {limit} (Limits:MaxSongsPerBatch); split it into jobs of at most {limit}.");

    public static ProblemDetails UploadTooSlow() => Create(
        StatusCodes.Status408RequestTimeout, "upload_timeout", "Upload too slow",
        "The upload arrived more slowly than the slowest rate the service accepts (Limits:MinUploadBytesPerSecond, after Limits:MinUploadGracePeriod).");

    public static ProblemDetails InvalidMultipart(string detail) => Create(
        StatusCodes.Status400BadRequest, "invalid_multipart", "Malformed multipart form", detail);

    public static ProblemDetails NoSong() => Create(
        StatusCodes.Status400BadRequest, "no_song", "No song in the request", "The multipart form has no file part; send each song as a file part (or one song as the raw request body).");

    /// <summary>
    /// Gives the problems the framework writes itself (an unknown route, a method not allowed, a query value that does
    /// not bind, an unhandled exception) the stable code every refusal carries.
    /// </summary>
    public static void AddMissingCode(ProblemDetailsContext context)
    {
        ProblemDetails problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        string code = problem.Status switch
        {
            StatusCodes.Status400BadRequest => "invalid_request",
            StatusCodes.Status404NotFound => "not_found",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status406NotAcceptable => "not_acceptable",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            >= 500 => "internal_error",
            _ => "invalid_request",
        };
        problem.Extensions["code"] = code;
        problem.Type = DocsBase + code;
        if (code == "invalid_request" && problem.Detail is null)
        {
            problem.Detail = "A route or query value is not valid for this endpoint (see the OpenAPI document at /openapi/v1.json).";
        }
    }

    /// <summary>Adds <c>Retry-After</c> to a 429 or 503 answer (the client may try again later); returns the problem.</summary>
    public static ProblemDetails WithRetryAfter(HttpContext context, ProblemDetails problem, int seconds)
    {
        if (problem.Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return problem;
    }

    /// <summary>Writes <paramref name="problem"/> as the response, with <c>Retry-After</c> when given; for middleware and limiter callbacks.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem, TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(problem).ExecuteAsync(context);
    }
}
