using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Batches;
using MusicClassification.Host.Problems;
using MusicClassification.Host.Security;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Endpoints;

/// <summary><c>POST /classify/batch</c>: up to <see cref="HostLimitsOptions.MaxSongsPerBatch"/> songs in one multipart form.</summary>
internal static class BatchEndpoints
{
    public static RouteGroupBuilder MapBatch(this RouteGroupBuilder group)
    {
        group.MapPost("/batch", ClassifyBatch)
            .WithSummary("Classifies a batch of songs")
            .WithDescription(
                "A multipart/form-data body with one file part per song; each part is analysed as soon as it has arrived. " +
                "Answers JSON with the counts and every result in upload order, or with Accept: application/x-ndjson one " +
                "result per line as each song completes and a final {\"summary\": …} line. Song ids are the parts' file names, " +
                "made unique. A part that is too large, cut off or over the song limit gets a failed result; the others go on.")
            .DescribeUpload(rawBodyAllowed: false, "The songs, one file part each.")
            .Produces<BatchResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<SongResult>(StatusCodes.Status200OK, BatchRun.NdjsonMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static Results<BatchRun, ProblemHttpResult> ClassifyBatch(
        HttpContext context, UploadSpool spool, BatchAdmission admission, IOptions<HostLimitsOptions> options, bool? features)
    {
        HostLimitsOptions limits = options.Value;
        if (FormRequest.Open(context, limits, "batch", out Microsoft.AspNetCore.Mvc.ProblemDetails? invalid) is not { } form)
        {
            return TypedResults.Problem(invalid!);
        }

        if (!admission.TryEnter(ClientIdentity.Of(context), out IDisposable? lease, out var refusal))
        {
            return TypedResults.Problem(HostProblems.WithRetryAfter(context, refusal!, limits.BusyRetryAfterSeconds));
        }

        return new BatchRun(new BatchUpload(new FormSongs(form, spool, limits, context, waitForRoom: true)), lease!, features == true);
    }
}
