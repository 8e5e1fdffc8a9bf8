using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Batches;
using MusicClassification.Host.Jobs;
using MusicClassification.Host.Problems;
using MusicClassification.Host.Security;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Endpoints;

/// <summary>Durable jobs: a batch uploaded once, analysed in the background, its results kept and paged until they expire.</summary>
internal static class JobsEndpoints
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/jobs").WithTags("Jobs").DisableAntiforgery();

        // A damaged or missing store leaves direct analysis up; every job request gets one clear answer instead.
        group.AddEndpointFilter(static async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<IJobStore>().IsAvailable
                ? await next(context)
                : TypedResults.Problem(HostProblems.JobsUnavailable()));
        group.MapPost(string.Empty, CreateAsync)
            .WithSummary("Uploads a batch as a durable job")
            .WithDescription("The same multipart form as /classify/batch. Answers 202 with the job and a Location once every song is on disk; the songs are then analysed in the background and survive restarts.")
            .DescribeUpload(rawBodyAllowed: false, "The songs, one file part each.")
            .Produces<JobStatus>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/{id}", Get)
            .WithSummary("A job's state, counts, rate and estimated time left")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/results", GetResultsAsync)
            .WithSummary("A job's results in completion order, paged")
            .WithDescription("?after=<position> resumes after the last result a client has (0 or absent: from the start); ?limit= caps the page. JSON, or one result per line with Accept: application/x-ndjson.")
            .Produces<JobResultsPage>(StatusCodes.Status200OK, "application/json")
            .Produces<SongResult>(StatusCodes.Status200OK, BatchRun.NdjsonMediaType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/duplicates", GetDuplicates)
            .WithSummary("Groups of the job's songs that are the same recording (needs Pipeline:Features:Fingerprint), among the results stored so far")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/similar", GetSimilar)
            .WithSummary("The songs of the job most like one of them (?song=<id or index>&limit=10), by the distance docs/design.md defines (Fingerprints, duplicates, neighbours)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Cancels what is left of a job and deletes its files and results")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Accepted<JobStatus>, ProblemHttpResult>> CreateAsync(
        HttpContext context, JobService jobs, IOptions<HostLimitsOptions> limitOptions, IHostApplicationLifetime lifetime, bool? features)
    {
        HostLimitsOptions limits = limitOptions.Value;
        ProblemDetails? refusal = Refusal(context, jobs, limits, lifetime, out MultipartSongReader? form);
        if (refusal is not null)
        {
            return TypedResults.Problem(HostProblems.WithRetryAfter(context, refusal, limits.BusyRetryAfterSeconds));
        }

        using JobUpload upload = jobs.BeginUpload();
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var received = new FormSongs(form!, jobs.Spool.Files, limits, context, waitForRoom: false);
        await foreach (ReceivedSong song in received.ReadAsync(upload.PathFor, shutdown: default, reading.Token))
        {
            upload.Add(song);
        }

        // Never a half-accepted job: a cut-off upload, or one without songs, leaves nothing behind.
        if (reading.IsCancellationRequested)
        {
            return TypedResults.Problem(HostProblems.WithRetryAfter(context, HostProblems.ShuttingDown(), limits.BusyRetryAfterSeconds));
        }

        // Never half a library: a job over the song limit is refused whole (the client splits it, /model_info says how).
        if (received.ExcessParts > 0)
        {
            return TypedResults.Problem(HostProblems.TooManySongs(limits.MaxSongsPerBatch, upload.Songs.Count + received.ExcessParts));
        }

        // A connection reset reports no error (nobody is left to read one), so only a form read to its end is a job.
        if (received.Error is not null || !received.Completed || upload.Songs.Count == 0)
        {
            return TypedResults.Problem(HostProblems.WithRetryAfter(
                context, received.Error ?? (received.Completed ? HostProblems.NoSong() : HostProblems.InvalidMultipart("The upload ended before the form's closing boundary.")), limits.BusyRetryAfterSeconds));
        }

        (JobStatus? job, ProblemDetails? full) = await jobs.CreateAsync(upload, ClientIdentity.Of(context), features == true);
        return job is not null
            ? TypedResults.Accepted($"/jobs/{job.Id}", job)
            : TypedResults.Problem(HostProblems.WithRetryAfter(context, full!, limits.BusyRetryAfterSeconds));
    }

    private static ProblemDetails? Refusal(
        HttpContext context, JobService jobs, HostLimitsOptions limits, IHostApplicationLifetime lifetime, out MultipartSongReader? form)
    {
        form = null;
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HostProblems.ShuttingDown();
        }

        form = FormRequest.Open(context, limits, "job", out ProblemDetails? invalid);
        return invalid ?? jobs.RefusalBeforeUpload(ClientIdentity.Of(context), context.Request.ContentLength);
    }

    private static Results<Ok<JobStatus>, ProblemHttpResult> Get(string id, HttpContext context, JobService jobs) =>
        jobs.Find(id, ClientIdentity.KeyOf(context)) is { } job
            ? TypedResults.Ok(jobs.Status(job))
            : TypedResults.Problem(NotFound());

    private static async Task<IResult> GetResultsAsync(string id, HttpContext context, JobService jobs, int? after, int? limit)
    {
        if (jobs.Find(id, ClientIdentity.KeyOf(context)) is not { } job)
        {
            return TypedResults.Problem(NotFound());
        }

        (IReadOnlyList<StoredResult> page, int next, bool complete) = jobs.Results(job, after, limit);
        bool ndjson = context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(BatchRun.NdjsonMediaType, StringComparison.OrdinalIgnoreCase));
        if (!ndjson)
        {
            var results = new JsonArray([.. page.Select(WithPosition)]);
            return TypedResults.Ok(new JobResultsPage(id, job.State, results, next, complete));
        }

        context.Response.ContentType = BatchRun.NdjsonMediaType;
        context.Response.Headers["X-Next-After"] = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["X-Job-Complete"] = complete ? "true" : "false";
        foreach (StoredResult result in page)
        {
            await context.Response.WriteAsync(WithPosition(result).ToJsonString() + "\n", context.RequestAborted);
        }

        return TypedResults.Empty;
    }

    private static Results<Ok<JobDuplicates>, ProblemHttpResult> GetDuplicates(string id, HttpContext context, JobService jobs) =>
        jobs.Find(id, ClientIdentity.KeyOf(context)) is { } job
            ? TypedResults.Ok(jobs.Duplicates(job))
            : TypedResults.Problem(NotFound());

    private static Results<Ok<SimilarSongs>, ProblemHttpResult> GetSimilar(
        string id, string? song, int? limit, HttpContext context, JobService jobs, JobNeighbours neighbours)
    {
        if (jobs.Find(id, ClientIdentity.KeyOf(context)) is not { } job)
        {
            return TypedResults.Problem(NotFound());
        }

        SongSimilarity index = neighbours.For(job);
        if (song is null || index.Find(song) is not { } asked)
        {
            return TypedResults.Problem(HostProblems.Create(StatusCodes.Status404NotFound, "song_not_found", "No such song in this job",
                "Name a song of the job that has a result: ?song= its id (file name) or its index."));
        }

        return TypedResults.Ok(new SimilarSongs(id, asked, index.Basis, index.Nearest(asked, Math.Clamp(limit ?? 10, 1, 100))));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext context, JobService jobs)
    {
        if (jobs.Find(id, ClientIdentity.KeyOf(context)) is not { } job)
        {
            return TypedResults.Problem(NotFound());
        }

        await jobs.DeleteAsync(job);
        return TypedResults.NoContent();
    }

    private static JsonNode WithPosition(StoredResult result)
    {
        JsonObject node = JsonNode.Parse(result.Json)!.AsObject();
        node.Insert(0, "position", result.Position);
        return node;
    }

    private static ProblemDetails NotFound() => HostProblems.Create(
        StatusCodes.Status404NotFound, "job_not_found", "No such job", "There is no job with this id for this client (it may have expired or been deleted).");
}
