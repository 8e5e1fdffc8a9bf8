using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Batches;
using MusicClassification.Host.Problems;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Endpoints;

/// <summary>Song classification endpoints: one song (<c>POST /classify</c>) and a batch (<c>POST /classify/batch</c>).</summary>
internal static partial class ClassifyEndpoints
{
    public const string SongConcurrencyPolicy = "song-requests";

    public static IEndpointRouteBuilder MapClassify(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/classify").WithTags("Classify").DisableAntiforgery();
        group.MapPost(string.Empty, ClassifyOneAsync)
            .RequireRateLimiting(SongConcurrencyPolicy)
            .WithSummary("Classifies one song")
            .WithDescription("The song is the raw request body, or the first file part of a multipart form. ?features=true adds the 57-column GTZAN feature vector; ?id= names the song.")
            .DescribeUpload(rawBodyAllowed: true, "The song's encoded bytes (WAV, MP3, AAC/M4A, FLAC, Ogg Vorbis/Opus, …): the raw body, or a file part.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        group.MapBatch();
        return routes;
    }

    private static async Task<Results<Ok<SongResult>, ProblemHttpResult, EmptyHttpResult>> ClassifyOneAsync(
        HttpContext context,
        Analysis.ISongAnalyzer analyzer,
        UploadSpool spool,
        IOptions<HostLimitsOptions> options,
        ILoggerFactory loggers,
        bool? features,
        string? id)
    {
        HostLimitsOptions limits = options.Value;
        if (SingleSongUpload.Precheck(context.Request, limits, spool) is { } refused)
        {
            return TypedResults.Problem(HostProblems.WithRetryAfter(context, refused, limits.BusyRetryAfterSeconds));
        }

        SpooledUpload? upload;
        string? fileName;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            deadline.CancelAfter(limits.SongUploadTimeout);
            try
            {
                (upload, fileName) = await SingleSongUpload.ReadAsync(context.Request, spool, limits, deadline.Token);
            }
            catch (Exception ex) when (UploadFailures.IsUploadFailure(ex))
            {
                ProblemDetails? problem = UploadFailures.Describe(ex, context, limits.MaxUploadBytes, limits.SongUploadTimeout);
                if (problem is null)
                {
                    LogClientGone(loggers.CreateLogger("MusicClassification.Host.Classify"), context.TraceIdentifier);
                    return TypedResults.Empty;
                }

                return TypedResults.Problem(HostProblems.WithRetryAfter(context, problem, limits.BusyRetryAfterSeconds));
            }
        }

        if (upload is null)
        {
            return TypedResults.Problem(HostProblems.NoSong());
        }

        using (upload)
        {
            string songId = SongNames.Sanitize(id ?? fileName) is { Length: > 0 } name ? name : "song";
            SongResult result = await analyzer.ClassifyAsync(new Analysis.SpooledSong(songId, upload.Path), context.RequestAborted);
            return result.Succeeded
                ? TypedResults.Ok(result.Shown(features == true))
                : result.Error.Code == SongErrorCode.InsufficientMemory
                    ? TypedResults.Problem(HostProblems.WithRetryAfter(context, SongErrorHttp.ToProblem(result.Error, songId), limits.BusyRetryAfterSeconds))
                    : TypedResults.Problem(SongErrorHttp.ToProblem(result.Error, songId));
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Request {TraceId}: the client disconnected during its upload")]
    private static partial void LogClientGone(ILogger logger, string traceId);
}
