using System.Text.Json;
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
            context.HttpContext.RequestServices.GetRequiredService<JobStore>().IsAvailable
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
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Cancels what is left of a job and deletes its files and results")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Accepted<JobStatus>, ProblemHttpResult>> CreateAsync(
        HttpContext context,
        JobStore store,
        JobSpool spool,
        IJobExecutor runner,
        IOptions<JobOptions> jobOptions,
        IOptions<HostLimitsOptions> limitOptions,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        bool? features)
    {
        HostLimitsOptions limits = limitOptions.Value;
        JobOptions options = jobOptions.Value;
        ProblemDetails? refusal = Refusal(context, store, spool, runner, limits, options, lifetime, out MultipartSongReader? form);
        if (refusal is not null)
        {
            return TypedResults.Problem(HostProblems.WithRetryAfter(context, refusal, limits.BusyRetryAfterSeconds));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limits.MaxBatchBytes;
        }

        string jobId = JobIds.New();
        spool.CreateFolder(jobId);
        var songs = new List<NewJobSong>();
        var files = new List<SpooledUpload>();
        using var upload = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var received = new FormSongs(form!, spool.Files, limits, context, waitForRoom: false);
        bool accepted = false;
        try
        {
            await foreach (ReceivedSong song in received.ReadAsync(index => store.SongPath(jobId, index), shutdown: default, upload.Token))
            {
                if (song.File is { } file)
                {
                    files.Add(file);
                    songs.Add(new NewJobSong(song.Index, song.Id, file.Path, null, false));
                }
                else
                {
                    songs.Add(new NewJobSong(song.Index, song.Id, null, JsonSerializer.Serialize(song.Failure, json.Value.SerializerOptions), false));
                }
            }

            // Never a half-accepted job: a cut-off upload, or one without songs, leaves nothing behind.
            if (upload.IsCancellationRequested)
            {
                return TypedResults.Problem(HostProblems.WithRetryAfter(context, HostProblems.ShuttingDown(), limits.BusyRetryAfterSeconds));
            }

            // Never half a library: a job over the song limit is refused whole (the client splits it, /model_info says how).
            if (received.ExcessParts > 0)
            {
                return TypedResults.Problem(HostProblems.TooManySongs(limits.MaxSongsPerBatch, songs.Count + received.ExcessParts));
            }

            // A connection reset reports no error (nobody is left to read one), so only a form read to its end is a job.
            if (received.Error is not null || !received.Completed || songs.Count == 0)
            {
                return TypedResults.Problem(HostProblems.WithRetryAfter(
                    context, received.Error ?? (received.Completed ? HostProblems.NoSong() : HostProblems.InvalidMultipart("The upload ended before the form's closing boundary.")), limits.BusyRetryAfterSeconds));
            }

            DateTimeOffset now = time.GetUtcNow();
            var job = new JobRecord(jobId, ClientIdentity.Of(context), JobState.Queued, songs.Count, 0, 0, 0, features == true, now, now, null, null, null);
            JobAdmission admitted = await store.CreateAsync(job, songs, options.MaxOpenJobs, options.MaxOpenJobsPerClient, CancellationToken.None);
            if (admitted != JobAdmission.Created)
            {
                return TypedResults.Problem(HostProblems.WithRetryAfter(context, OpenJobsProblem(admitted, options), limits.BusyRetryAfterSeconds));
            }

            foreach (SpooledUpload file in files)
            {
                file.Keep();
            }

            accepted = true;
            runner.Enqueue(jobId);
            return TypedResults.Accepted($"/jobs/{jobId}", JobStatus.From(store.Find(jobId)!, now));
        }
        finally
        {
            if (!accepted)
            {
                foreach (SpooledUpload file in files)
                {
                    file.Dispose();
                }

                spool.DeleteJob(jobId);
            }
        }
    }

    private static ProblemDetails? Refusal(
        HttpContext context, JobStore store, JobSpool spool, IJobExecutor runner, HostLimitsOptions limits, JobOptions options, IHostApplicationLifetime lifetime, out MultipartSongReader? form)
    {
        form = null;
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HostProblems.ShuttingDown();
        }

        if (!runner.IsAvailable)
        {
            return HostProblems.BrokerUnavailable();
        }

        try
        {
            form = MultipartSongReader.For(context.Request, limits);
        }
        catch (InvalidUploadException invalid)
        {
            return invalid.Problem;
        }

        if (form is null)
        {
            return HostProblems.InvalidMultipart("Send the job as multipart/form-data with one file part per song.");
        }

        if (context.Request.ContentLength > limits.MaxBatchBytes)
        {
            return HostProblems.RequestTooLarge(limits.MaxBatchBytes);
        }

        // Checked again when the job is stored (JobStore.CreateAsync); this early check spares a doomed upload.
        if (store.OpenJobs(null) >= options.MaxOpenJobs)
        {
            return OpenJobsProblem(JobAdmission.TooManyOpenJobs, options);
        }

        if (store.OpenJobs(ClientIdentity.Of(context)) >= options.MaxOpenJobsPerClient)
        {
            return OpenJobsProblem(JobAdmission.TooManyForClient, options);
        }

        return spool.Files.HasRoomFor(context.Request.ContentLength ?? 0) ? null : HostProblems.ServerBusy("job storage");
    }

    private static ProblemDetails OpenJobsProblem(JobAdmission refusal, JobOptions options) => refusal == JobAdmission.TooManyOpenJobs
        ? HostProblems.ServerBusy($"{options.MaxOpenJobs} open jobs")
        : HostProblems.Create(StatusCodes.Status429TooManyRequests, "too_many_jobs", "Too many open jobs",
            $"This client already has {options.MaxOpenJobsPerClient} jobs that are not finished.");

    private static Results<Ok<JobStatus>, ProblemHttpResult> Get(string id, HttpContext context, JobStore store, TimeProvider time) =>
        Visible(id, context, store) is { } job
            ? TypedResults.Ok(JobStatus.From(job, time.GetUtcNow()))
            : TypedResults.Problem(NotFound());

    private static async Task<IResult> GetResultsAsync(
        string id, HttpContext context, JobStore store, IOptions<JobOptions> options, int? after, int? limit)
    {
        if (Visible(id, context, store) is not { } job)
        {
            return TypedResults.Problem(NotFound());
        }

        int from = Math.Max(0, after ?? 0);
        int size = Math.Clamp(limit ?? options.Value.MaxPageSize, 1, options.Value.MaxPageSize);
        IReadOnlyList<StoredResult> page = store.Results(id, from, size);
        int next = page.Count > 0 ? page[^1].Position : from;
        bool complete = job.State == JobState.Completed && next >= job.Total;
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

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext context, JobStore store, JobSpool spool, IJobExecutor runner, TimeProvider time)
    {
        if (Visible(id, context, store) is null)
        {
            return TypedResults.Problem(NotFound());
        }

        await store.SetStateAsync(id, JobState.Cancelled, time.GetUtcNow());
        await runner.StopAsync(id);
        await store.DeleteAsync(id);
        spool.DeleteJob(id);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The job, if it exists and this caller may see it: with API keys on, only the key that created it; without keys,
    /// whoever has its unguessable id. Another key's job is "not found", not "forbidden": its existence is not revealed.
    /// </summary>
    private static JobRecord? Visible(string id, HttpContext context, JobStore store) =>
        JobIds.IsWellFormed(id) && store.Find(id) is { } job && (ClientIdentity.KeyOf(context) is not { } key || job.Owner == key) ? job : null;

    private static JsonNode WithPosition(StoredResult result)
    {
        JsonObject node = JsonNode.Parse(result.Json)!.AsObject();
        node.Insert(0, "position", result.Position);
        return node;
    }

    private static ProblemDetails NotFound() => HostProblems.Create(
        StatusCodes.Status404NotFound, "job_not_found", "No such job", "There is no job with this id for this client (it may have expired or been deleted).");
}
