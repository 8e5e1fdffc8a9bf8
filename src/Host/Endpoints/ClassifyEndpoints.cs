using Microsoft.AspNetCore.Http.HttpResults;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Endpoints;

/// <summary>Song classification endpoints.</summary>
internal static class ClassifyEndpoints
{
    public static IEndpointRouteBuilder MapClassify(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/classify").WithTags("Classify");
        group.MapPost("/", ClassifyOneAsync)
            .DisableAntiforgery()
            .WithSummary("Classifies one song, sent as the raw request body or as the first file part of a multipart form; ?features=true adds the GTZAN feature vector.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    private static async Task<Results<Ok<SongResult>, ProblemHttpResult>> ClassifyOneAsync(
        HttpRequest request, MusicClassificationPipeline pipeline, UploadSpooler spooler, bool? features, CancellationToken cancellationToken)
    {
        SpooledUpload? upload;
        string? fileName;
        try
        {
            (upload, fileName) = await SongUploadReader.ReadAsync(request, spooler, cancellationToken);
        }
        catch (UploadTooLargeException ex)
        {
            return TypedResults.Problem(SongErrorHttp.ToProblem(new SongError(SongErrorCode.TooLong, ex.Message)));
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Unreadable upload");
        }

        if (upload is null)
        {
            return TypedResults.Problem(
                "The multipart form has no file part; send the song as a file part or as the raw request body.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "No song in the request");
        }

        using (upload)
        {
            string id = request.Query["id"].FirstOrDefault() ?? fileName ?? "song";
            SongResult result = await pipeline.ClassifyAsync(SongInput.FromFile(id, upload.Path), cancellationToken);
            return result.Succeeded
                ? TypedResults.Ok(features == true ? result : result with { GtzanFeatures = null })
                : TypedResults.Problem(SongErrorHttp.ToProblem(result.Error, id));
        }
    }
}
