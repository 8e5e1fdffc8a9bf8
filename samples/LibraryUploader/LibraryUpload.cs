using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;

namespace LibraryUploader;

/// <summary>
/// Uploads a folder of songs to the service as durable jobs of <see cref="UploadOptions.BatchSize"/> songs, collects
/// every result into an NDJSON file, and keeps a state file so that an interrupted run resumes: songs that have a result
/// are never sent again, jobs already accepted are collected instead of re-sent. Transient failures (connection errors,
/// 429, 5xx) are retried with exponential backoff that honours <c>Retry-After</c>.
/// </summary>
public sealed class LibraryUpload(HttpClient http, UploadOptions options, UploadProgress progress)
{
    private int _songs;
    private int _withResults;

    private static readonly string[] AudioExtensions = [".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".wav", ".aiff", ".wma", ".mka"];

    private readonly ResiliencePipeline<HttpResponseMessage> _retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .HandleResult(r => r.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
            OnRetry = args =>
            {
                progress.Say($"retrying in {args.RetryDelay.TotalSeconds:0.#} s: {args.Outcome.Result?.StatusCode.ToString() ?? args.Outcome.Exception?.Message}");
                args.Outcome.Result?.Dispose();
                return default;
            },
        })
        .Build();

    public async Task<UploadSummary> RunAsync(CancellationToken cancellationToken)
    {
        UploadState state = UploadState.Load(options.StatePath);
        string[] songs = [.. Directory.EnumerateFiles(options.Folder, "*", SearchOption.AllDirectories)
            .Where(f => AudioExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)];
        var queued = state.Jobs.SelectMany(j => j.Files).ToHashSet(StringComparer.Ordinal);
        string[] toSend = [.. songs.Where(s => !state.Done.Contains(s) && !queued.Contains(s))];
        progress.Say($"{songs.Length} songs, {state.Done.Count} with results already, {toSend.Length} to send");
        _songs = songs.Length;
        _withResults = songs.Count(state.Done.Contains);

        var summary = new UploadSummary { Songs = songs.Length };
        await using var output = new StreamWriter(options.OutputPath, append: true);
        foreach (string[] batch in toSend.Chunk(options.BatchSize))
        {
            // Keep at most MaxOpenJobs unfinished: collect the oldest first, so the service's per-client limit is never hit.
            while (state.Jobs.Count(j => !j.Complete) >= options.MaxOpenJobs)
            {
                await CollectAsync(state.Jobs.First(j => !j.Complete), state, output, summary, cancellationToken);
            }

            string id = await CreateJobAsync(batch, cancellationToken);
            state.Jobs.Add(new UploadState.JobEntry { Id = id, Files = [.. batch] });
            state.Save(options.StatePath);
            summary.Sent += batch.Length;
            progress.Say($"job {id}: {batch.Length} songs accepted");
        }

        foreach (UploadState.JobEntry job in state.Jobs.Where(j => !j.Complete).ToList())
        {
            await CollectAsync(job, state, output, summary, cancellationToken);
        }

        summary.WithResults = songs.Count(state.Done.Contains);
        progress.Finish();
        return summary;
    }

    private async Task<string> CreateJobAsync(string[] files, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _retry.ExecuteAsync(
            async token => await http.PostAsync(new Uri("jobs", UriKind.Relative), new FolderForm(files), token), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        JsonElement job = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return job.GetProperty("id").GetString()!;
    }

    private async Task CollectAsync(UploadState.JobEntry job, UploadState state, StreamWriter output, UploadSummary summary, CancellationToken cancellationToken)
    {
        while (!job.Complete)
        {
            using HttpResponseMessage response = await _retry.ExecuteAsync(
                async token => await http.GetAsync(new Uri($"jobs/{job.Id}/results?after={job.After}", UriKind.Relative), token), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // Expired or deleted before its results were read: its songs without a result are sent again next run.
                progress.Say($"job {job.Id} is gone from the service; its songs without results will be sent again");
                state.Jobs.Remove(job);
                state.Save(options.StatePath);
                return;
            }

            await EnsureSuccessAsync(response, cancellationToken);
            JsonElement page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            foreach (JsonElement result in page.GetProperty("results").EnumerateArray())
            {
                string file = job.Files[result.GetProperty("index").GetInt32()];
                var line = new JsonObject
                {
                    ["file"] = Path.GetRelativePath(options.Folder, file),
                    ["result"] = JsonNode.Parse(result.GetRawText()),
                };
                await output.WriteLineAsync(line.ToJsonString());
                _withResults += state.Done.Add(file) ? 1 : 0;
                summary.Collected++;
                summary.Failed += result.GetProperty("status").GetString() == "failed" ? 1 : 0;
            }

            // Results first, then the state: an interruption between them repeats a line, never loses one.
            await output.FlushAsync(cancellationToken);
            job.After = page.GetProperty("next").GetInt32();
            job.Complete = page.GetProperty("complete").GetBoolean();
            state.Save(options.StatePath);
            progress.Status(_withResults, _songs, job.Complete ? $"job {job.Id}: collected" : $"job {job.Id}: collecting");
            if (!job.Complete && page.GetProperty("results").GetArrayLength() == 0)
            {
                await ReportProgressAsync(job, cancellationToken);
                await Task.Delay(options.PollInterval, cancellationToken);
            }
        }
    }

    private async Task ReportProgressAsync(UploadState.JobEntry job, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _retry.ExecuteAsync(
            async token => await http.GetAsync(new Uri($"jobs/{job.Id}", UriKind.Relative), token), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            JsonElement status = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            string rate = status.TryGetProperty("songsPerSecond", out JsonElement r) && r.ValueKind == JsonValueKind.Number ? $"{r.GetDouble():0.0} songs/s" : "starting";
            string left = status.TryGetProperty("estimatedSecondsLeft", out JsonElement l) && l.ValueKind == JsonValueKind.Number ? $", ~{l.GetDouble():0} s left" : string.Empty;
            progress.Status(_withResults, _songs, $"job {job.Id}: {status.GetProperty("state").GetString()}, {status.GetProperty("done").GetInt32()}/{status.GetProperty("total").GetInt32()} ({rate}{left})");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            // The service answers with problem details: show its code and reason, not just the status.
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{(int)response.StatusCode} {response.StatusCode}: {body}", null, response.StatusCode);
        }
    }
}
