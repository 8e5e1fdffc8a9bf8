using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Jobs from the outside: admission and limits, creation, reading, deletion. The endpoints translate HTTP to these
/// calls; how songs reach the workers (<see cref="JobDispatcher"/>) and where results end (<see cref="JobResultSink"/>)
/// stay behind it. The open-job limits are applied when the job is stored; the early check only spares a doomed upload.
/// </summary>
internal sealed class JobService(
    IJobStore store,
    JobSpool spool,
    JobDispatcher dispatcher,
    IOptions<JobOptions> options,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider time)
{
    private readonly JobOptions _options = options.Value;

    /// <summary>Gets the job spool (its room decides whether an upload may start).</summary>
    public JobSpool Spool => spool;

    /// <summary>Why a new job from <paramref name="owner"/> of <paramref name="declaredBytes"/> cannot be accepted now, or null.</summary>
    public ProblemDetails? RefusalBeforeUpload(string? owner, long? declaredBytes)
    {
        if (!dispatcher.IsAvailable)
        {
            return HostProblems.BrokerUnavailable();
        }

        if (store.OpenJobs(null) >= _options.MaxOpenJobs)
        {
            return OpenJobsProblem(JobAdmission.TooManyOpenJobs);
        }

        if (store.OpenJobs(owner) >= _options.MaxOpenJobsPerClient)
        {
            return OpenJobsProblem(JobAdmission.TooManyForClient);
        }

        return spool.Files.HasRoomFor(declaredBytes ?? 0) ? null : HostProblems.ServerBusy("job storage");
    }

    /// <summary>Starts receiving a new job's songs into a folder of its own.</summary>
    public JobUpload BeginUpload()
    {
        string jobId = JobIds.New();
        spool.CreateFolder(jobId);
        return new JobUpload(jobId, spool, json.Value.SerializerOptions);
    }

    /// <summary>Stores a completely received job and queues it; the refusal when the open-job limits are reached meanwhile.</summary>
    public async Task<(JobStatus? Job, ProblemDetails? Refusal)> CreateAsync(JobUpload upload, string? owner, bool includeFeatures)
    {
        DateTimeOffset now = time.GetUtcNow();
        // The upload's trace, so that the job's analysis (here or on a worker) joins it when it runs later.
        var job = new JobRecord(upload.JobId, owner, JobState.Queued, upload.Songs.Count, 0, 0, 0, includeFeatures, now, now, null, null, null,
            System.Diagnostics.Activity.Current?.Id);
        JobAdmission admitted = await store.CreateAsync(job, upload.Songs, _options.MaxOpenJobs, _options.MaxOpenJobsPerClient, CancellationToken.None);
        if (admitted != JobAdmission.Created)
        {
            return (null, OpenJobsProblem(admitted));
        }

        upload.Stored();
        dispatcher.Enqueue(upload.JobId);
        return (JobStatus.From(store.Find(upload.JobId)!, now), null);
    }

    /// <summary>
    /// The job, if it exists and this caller may see it: with API keys on, only the key that created it; without keys,
    /// whoever has its unguessable id. Another key's job is "not found", not "forbidden": its existence is not revealed.
    /// </summary>
    public JobRecord? Find(string id, string? callerKey) =>
        JobIds.IsWellFormed(id) && store.Find(id) is { } job && (callerKey is null || job.Owner == callerKey) ? job : null;

    public JobStatus Status(JobRecord job) => JobStatus.From(job, time.GetUtcNow());

    /// <summary>A page of results after position <paramref name="after"/>, at most the page size.</summary>
    public (IReadOnlyList<StoredResult> Results, int Next, bool Complete) Results(JobRecord job, int? after, int? limit)
    {
        int from = Math.Max(0, after ?? 0);
        int size = Math.Clamp(limit ?? _options.MaxPageSize, 1, _options.MaxPageSize);
        IReadOnlyList<StoredResult> page = store.Results(job.Id, from, size);
        int next = page.Count > 0 ? page[^1].Position : from;
        return (page, next, job.State == JobState.Completed && next >= job.Total);
    }

    /// <summary>The groups of the job's songs that are the same recording, among the results stored so far.</summary>
    public JobDuplicates Duplicates(JobRecord job)
    {
        var songs = new List<SongResult>();
        foreach (string json in store.All(job.Id, _options.MaxPageSize))
        {
            using var result = System.Text.Json.JsonDocument.Parse(json);
            System.Text.Json.JsonElement root = result.RootElement;
            if (root.TryGetProperty("fingerprint", out System.Text.Json.JsonElement fingerprint) && fingerprint.GetString() is { } text)
            {
                songs.Add(new SongResult { Id = root.GetProperty("id").GetString() ?? "", Index = root.GetProperty("index").GetInt32(), Fingerprint = text });
            }
        }

        Dictionary<int, string> names = songs.ToDictionary(s => s.Index, s => s.Id);
        IReadOnlyList<IReadOnlyList<JobSong>> groups = [.. SongDuplicates.Find(songs).Select(group => (IReadOnlyList<JobSong>)[.. group.Select(i => new JobSong(i, names[i]))])];
        return new JobDuplicates(job.Id, job.State == JobState.Completed, songs.Count, groups);
    }

    /// <summary>Cancels what is left of a job, then deletes its results and files.</summary>
    public async Task DeleteAsync(JobRecord job)
    {
        await store.SetStateAsync(job.Id, JobState.Cancelled, time.GetUtcNow());
        dispatcher.Withdraw(job.Id);
        await store.DeleteAsync(job.Id);
        spool.DeleteJob(job.Id);
    }

    private ProblemDetails OpenJobsProblem(JobAdmission refusal) => refusal == JobAdmission.TooManyOpenJobs
        ? HostProblems.ServerBusy($"{_options.MaxOpenJobs} open jobs")
        : HostProblems.Create(StatusCodes.Status429TooManyRequests, "too_many_jobs", "Too many open jobs",
            $"This client already has {_options.MaxOpenJobsPerClient} jobs that are not finished.");
}
