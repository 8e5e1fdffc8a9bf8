namespace MusicClassification.Host.Jobs;

/// <summary>What <c>GET /jobs/{id}</c> answers.</summary>
/// <param name="Id">The job's id (unguessable).</param>
/// <param name="State"><c>queued</c>, <c>running</c>, <c>completed</c> or <c>cancelled</c>.</param>
/// <param name="Total">Songs in the job.</param>
/// <param name="Done">Songs with a stored result.</param>
/// <param name="Succeeded">Songs analysed.</param>
/// <param name="Failed">Songs failed.</param>
/// <param name="SongsPerSecond">Songs finished per second since the job started running (null before).</param>
/// <param name="EstimatedSecondsLeft">Songs left at that rate (null when unknown, 0 when done).</param>
/// <param name="Created">When the upload was stored.</param>
/// <param name="Updated">When the job last changed.</param>
/// <param name="Expires">When a completed job and its results are removed.</param>
/// <param name="Results">Where the results are: <c>/jobs/{id}/results</c>.</param>
internal sealed record JobStatus(
    string Id,
    string State,
    int Total,
    int Done,
    int Succeeded,
    int Failed,
    double? SongsPerSecond,
    double? EstimatedSecondsLeft,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    DateTimeOffset? Expires,
    string Results)
{
    public static JobStatus From(JobRecord job, DateTimeOffset now)
    {
        DateTimeOffset end = job.Completed ?? (job.State == JobState.Running ? now : job.Updated);
        double? rate = job.Started is { } started && end > started && job.Done > 0
            ? Math.Round(job.Done / (end - started).TotalSeconds, 3)
            : null;
        double? left = job.Done >= job.Total ? 0 : rate is > 0 ? Math.Round((job.Total - job.Done) / rate.Value, 1) : null;
        return new JobStatus(job.Id, job.State, job.Total, job.Done, job.Succeeded, job.Failed, rate, left, job.Created, job.Updated, job.Expires, $"/jobs/{job.Id}/results");
    }
}

/// <summary>One page of a job's results, in the order they completed.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">The job's state when the page was read.</param>
/// <param name="Results">The results after <c>after</c>, each with its <c>position</c> (1, 2, … in completion order).</param>
/// <param name="Next">The position to pass as <c>?after=</c> for the next page.</param>
/// <param name="Complete">True when every song's result has been returned (up to this page).</param>
internal sealed record JobResultsPage(string JobId, string State, System.Text.Json.Nodes.JsonArray Results, int Next, bool Complete);
