using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MusicClassification.Host.Tests;

[TestClass]
public sealed class JobTests
{
    private static readonly Uri Jobs = new("/jobs", UriKind.Relative);

    [TestMethod]
    public async Task A_job_is_accepted_analysed_paged_and_deleted()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using MultipartFormDataContent form = BatchForms.Form(20, brokenEvery: 7);
        HttpResponseMessage created = await client.PostAsync(Jobs, form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync());
        Uri location = created.Headers.Location!;
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.AreEqual($"/jobs/{id}", location.OriginalString);
        Assert.AreEqual(32, id.Length);

        JsonElement status = await WaitForStateAsync(client, location, "completed");
        Assert.AreEqual(20, status.GetProperty("total").GetInt32());
        Assert.AreEqual(20, status.GetProperty("done").GetInt32());
        Assert.AreEqual(18, status.GetProperty("succeeded").GetInt32());
        Assert.AreEqual(2, status.GetProperty("failed").GetInt32());
        Assert.AreEqual(0, status.GetProperty("estimatedSecondsLeft").GetDouble());
        Assert.IsTrue(status.TryGetProperty("expires", out _));

        JsonElement page = await client.GetFromJsonAsync<JsonElement>(new Uri(location + "/results", UriKind.Relative));
        JsonElement[] results = [.. page.GetProperty("results").EnumerateArray()];
        Assert.HasCount(20, results);
        CollectionAssert.AreEqual(Enumerable.Range(1, 20).ToArray(), results.Select(r => r.GetProperty("position").GetInt32()).ToArray());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 20).ToArray(), results.Select(r => r.GetProperty("index").GetInt32()).ToArray());
        Assert.IsTrue(page.GetProperty("complete").GetBoolean());
        Assert.AreEqual(0, Directory.GetFiles(Path.Combine(app.DataDirectory, "spool"), "*", SearchOption.AllDirectories).Length, "each song's file goes once its result is stored");

        JsonElement jobs = (await client.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative))).GetProperty("jobs");
        Assert.AreEqual(1, jobs.GetProperty("byState").GetProperty("completed").GetInt32());
        Assert.AreEqual(0, jobs.GetProperty("spoolBytes").GetInt64());

        Assert.AreEqual(HttpStatusCode.NoContent, (await client.DeleteAsync(location)).StatusCode);
        await LimitTests.AssertProblemAsync(await client.GetAsync(location), HttpStatusCode.NotFound, "job_not_found");
        Assert.IsFalse(Directory.Exists(Path.Combine(app.DataDirectory, "spool", id)));
    }

    [TestMethod]
    public async Task Results_resume_after_the_last_position_a_client_saw_in_json_and_ndjson()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        using MultipartFormDataContent form = BatchForms.Form(12);
        Uri location = (await client.PostAsync(Jobs, form)).Headers.Location!;
        await WaitForStateAsync(client, location, "completed");

        JsonElement first = await client.GetFromJsonAsync<JsonElement>(new Uri(location + "/results?limit=5", UriKind.Relative));
        int next = first.GetProperty("next").GetInt32();
        JsonElement second = await client.GetFromJsonAsync<JsonElement>(new Uri(location + $"/results?after={next}&limit=5", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, location + "/results?after=10");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        HttpResponseMessage ndjson = await client.SendAsync(request);
        string[] lines = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.AreEqual(5, next);
        Assert.IsFalse(first.GetProperty("complete").GetBoolean());
        CollectionAssert.AreEqual(new[] { 6, 7, 8, 9, 10 }, second.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("position").GetInt32()).ToArray());
        Assert.AreEqual("application/x-ndjson", ndjson.Content.Headers.ContentType?.MediaType);
        CollectionAssert.AreEqual(new[] { 11, 12 }, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("position").GetInt32()).ToArray());
        Assert.AreEqual("true", ndjson.Headers.GetValues("X-Job-Complete").Single());
    }

    [TestMethod]
    public async Task A_completed_job_expires_after_its_retention()
    {
        await using var app = new HostApplication();
        app.Settings["Jobs:Retention"] = "00:00:01";
        app.Settings["Jobs:SweepInterval"] = "00:00:00.200";
        using HttpClient client = app.CreateClient();
        using MultipartFormDataContent form = BatchForms.Form(2);
        Uri location = (await client.PostAsync(Jobs, form)).Headers.Location!;
        await WaitForStateAsync(client, location, "completed");

        HttpStatusCode status = HttpStatusCode.OK;
        for (int attempt = 0; attempt < 50 && status == HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(100);
            status = (await client.GetAsync(location)).StatusCode;
        }

        Assert.AreEqual(HttpStatusCode.NotFound, status);
    }

    [TestMethod]
    public async Task With_keys_a_job_is_visible_only_to_the_key_that_created_it()
    {
        const string Owner = "owner-key-long-enough-0001";
        const string Other = "other-key-long-enough-0002";
        await using var app = new HostApplication();
        app.Settings["ApiKeys:Keys:0"] = Owner;
        app.Settings["ApiKeys:Keys:1"] = Other;
        using HttpClient client = app.CreateClient();

        using var create = new HttpRequestMessage(HttpMethod.Post, Jobs) { Content = BatchForms.Form(2) };
        create.Headers.Add("X-Api-Key", Owner);
        Uri location = (await client.SendAsync(create)).Headers.Location!;
        HttpStatusCode Status(string key)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, location);
            get.Headers.Add("X-Api-Key", key);
            return client.SendAsync(get).GetAwaiter().GetResult().StatusCode;
        }

        Assert.AreEqual(HttpStatusCode.OK, Status(Owner));
        Assert.AreEqual(HttpStatusCode.NotFound, Status(Other));
        using var delete = new HttpRequestMessage(HttpMethod.Delete, location);
        delete.Headers.Add("X-Api-Key", Other);
        Assert.AreEqual(HttpStatusCode.NotFound, (await client.SendAsync(delete)).StatusCode, "another key cannot delete it either");
    }

    [TestMethod]
    public async Task Over_the_open_job_limit_a_new_job_gets_503_and_nothing_is_kept()
    {
        await using var app = new HostApplication();
        app.Settings["Jobs:MaxOpenJobs"] = "1";
        app.Settings["Pipeline:MaxDegreeOfParallelism"] = "1";
        using HttpClient client = app.CreateClient();
        using MultipartFormDataContent big = BatchForms.Form(40, seconds: 4);
        Uri first = (await client.PostAsync(Jobs, big)).Headers.Location!;

        using MultipartFormDataContent second = BatchForms.Form(2);
        HttpResponseMessage refused = await client.PostAsync(Jobs, second);

        await LimitTests.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "server_busy");
        Assert.IsNotNull(refused.Headers.RetryAfter);
        Assert.HasCount(1, Directory.GetDirectories(Path.Combine(app.DataDirectory, "spool")), "only the accepted job has a folder");
        Assert.AreEqual(HttpStatusCode.NoContent, (await client.DeleteAsync(first)).StatusCode);
    }

    [TestMethod]
    public async Task Open_job_limits_hold_for_uploads_that_finish_together()
    {
        await using var app = new HostApplication();
        app.Settings["Jobs:MaxOpenJobsPerClient"] = "3";
        app.Settings["Jobs:MaxOpenJobs"] = "5";
        app.Settings["Jobs:MaxRunningJobs"] = "1";
        app.Settings["Pipeline:MaxDegreeOfParallelism"] = "1";
        Uri address = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };

        // Eight uploads pass the early check together (no job is stored yet), then all finish at once.
        var release = new TaskCompletionSource();
        HeldBackForm[] forms = [.. Enumerable.Range(0, 8).Select(_ => new HeldBackForm(release.Task, seconds: 60))];
        Task<HttpResponseMessage>[] sending = [.. forms.Select(f => client.PostAsync(Jobs, f))];
        foreach (HeldBackForm form in forms)
        {
            await form.FirstPartOnServerAsync();
        }

        release.SetResult();
        HttpResponseMessage[] answers = await Task.WhenAll(sending);

        // The uploads finish as fast as the machine moves their bytes: on a busy one the first job can be analysed and
        // complete before the last upload is stored, and its slot is then rightly free. What must hold is the limit at
        // every insert: never more than three of this client's jobs open at once.
        string codes = string.Join(", ", answers.Select(a => (int)a.StatusCode));
        var accepted = new List<JsonElement>();
        foreach (HttpResponseMessage answer in answers.Where(a => a.StatusCode == HttpStatusCode.Accepted))
        {
            accepted.Add(await client.GetFromJsonAsync<JsonElement>(answer.Headers.Location!));
        }

        Assert.IsGreaterThanOrEqualTo(3, accepted.Count, codes);
        Assert.IsLessThan(8, accepted.Count, codes);
        foreach (JsonElement job in accepted)
        {
            DateTimeOffset stored = job.GetProperty("created").GetDateTimeOffset();
            int open = accepted.Count(other => other.GetProperty("created").GetDateTimeOffset() <= stored
                && !(other.GetProperty("state").GetString() == "completed" && other.GetProperty("updated").GetDateTimeOffset() <= stored));
            Assert.IsLessThanOrEqualTo(3, open, $"{open} jobs open when {job.GetProperty("id")} was stored ({codes})");
        }

        foreach (HttpResponseMessage refused in answers.Where(a => a.StatusCode != HttpStatusCode.Accepted))
        {
            await LimitTests.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "too_many_jobs");
        }

        foreach (HeldBackForm form in forms)
        {
            form.Dispose();
        }
    }

    [TestMethod]
    public async Task A_job_over_the_song_limit_is_refused_whole_and_stores_nothing()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxSongsPerBatch"] = "3";
        using HttpClient client = app.CreateClient();
        using MultipartFormDataContent form = BatchForms.Form(5);

        HttpResponseMessage refused = await client.PostAsync(Jobs, form);

        await LimitTests.AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge, "too_many_songs");
        JsonElement jobs = (await client.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative))).GetProperty("jobs");
        Assert.AreEqual(0, jobs.GetProperty("byState").EnumerateObject().Sum(s => s.Value.GetInt32()));
        Assert.IsEmpty(Directory.GetDirectories(Path.Combine(app.DataDirectory, "spool")));
    }

    [TestMethod]
    public async Task An_upload_cut_off_midway_leaves_no_job_and_no_file()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();
        using (var client = new HttpClient { BaseAddress = address })
        {
            var never = new TaskCompletionSource();
            using var body = new HeldBackForm(never.Task);
            using var cancel = new CancellationTokenSource();
            Task<HttpResponseMessage> sending = client.PostAsync(Jobs, body, cancel.Token);
            await body.FirstPartOnServerAsync();
            await cancel.CancelAsync();
            await Assert.ThrowsAsync<OperationCanceledException>(() => sending);
        }

        using var again = new HttpClient { BaseAddress = address };
        string spool = Path.Combine(app.DataDirectory, "spool");
        for (int attempt = 0; attempt < 50 && Directory.GetDirectories(spool).Length > 0; attempt++)
        {
            await Task.Delay(100);
        }

        JsonElement jobs = (await again.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative))).GetProperty("jobs");
        Assert.IsEmpty(Directory.GetDirectories(spool), "the cut-off job's folder is gone");
        Assert.AreEqual(0, jobs.GetProperty("byState").EnumerateObject().Sum(s => s.Value.GetInt32()), "no job row was written");
        Assert.AreEqual(0, jobs.GetProperty("spoolBytes").GetInt64());
    }

    [TestMethod]
    public async Task A_job_that_outgrows_the_job_spool_gets_503_at_once_and_nothing_is_kept()
    {
        await using var app = new HostApplication();
        app.Settings["Jobs:MaxSpoolBytes"] = "30000";
        Uri address = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };

        // Sent without a length (chunked), so the spool fills during the upload, not at the precheck.
        using var form = new HeldBackForm(Task.CompletedTask);
        HttpResponseMessage refused = await client.PostAsync(Jobs, form).WaitAsync(TimeSpan.FromSeconds(60));

        await LimitTests.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "server_busy");
        Assert.IsNotNull(refused.Headers.RetryAfter);
        Assert.IsEmpty(Directory.GetDirectories(Path.Combine(app.DataDirectory, "spool")), "the refused job left no folder");
    }

    [TestMethod]
    public async Task A_missing_or_corrupted_song_file_becomes_that_songs_failure()
    {
        await using var app = new HostApplication();
        app.Settings["Pipeline:MaxDegreeOfParallelism"] = "1";
        using HttpClient client = app.CreateClient();
        using MultipartFormDataContent form = BatchForms.Form(30, seconds: 4);
        HttpResponseMessage created = await client.PostAsync(Jobs, form);
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        string folder = Path.Combine(app.DataDirectory, "spool", id);
        File.Delete(Path.Combine(folder, "00029.song"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "00028.song"), "garbage, not audio"u8.ToArray());

        JsonElement status = await WaitForStateAsync(client, created.Headers.Location!, "completed");
        JsonElement page = await client.GetFromJsonAsync<JsonElement>(new Uri($"/jobs/{id}/results", UriKind.Relative));
        var byIndex = page.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32());

        Assert.AreEqual(30, status.GetProperty("done").GetInt32());
        Assert.AreEqual("internal_error", byIndex[29].GetProperty("error").GetProperty("code").GetString(), "a stored song the service lost is its own failure");
        Assert.AreEqual("unsupported_format", byIndex[28].GetProperty("error").GetProperty("code").GetString());
        Assert.AreEqual("succeeded", byIndex[27].GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task A_restart_in_the_middle_of_a_job_ends_with_every_result_stored_once()
    {
        string data = Path.Combine(TestFolders.Root, "restart-" + Guid.NewGuid().ToString("N"));
        string location;
        int doneAtStop;
        await using (var first = new HostApplication { DataDirectory = data })
        {
            first.Settings["Pipeline:MaxDegreeOfParallelism"] = "1";
            first.Settings["Jobs:ShutdownGracePeriod"] = "00:00:00";
            using HttpClient client = first.CreateClient();
            using MultipartFormDataContent form = BatchForms.Form(60, brokenEvery: 10, seconds: 4);
            location = (await client.PostAsync(Jobs, form)).Headers.Location!.OriginalString;
            int done = 0;
            for (int attempt = 0; attempt < 600 && done < 5; attempt++)
            {
                await Task.Delay(100);
                done = (await client.GetFromJsonAsync<JsonElement>(new Uri(location, UriKind.Relative))).GetProperty("done").GetInt32();
            }

            Assert.IsGreaterThanOrEqualTo(5, done, "the job got going within 60 s");
        }

        await using var second = new HostApplication { DataDirectory = data, DeleteDataOnDispose = true };
        using HttpClient resumed = second.CreateClient();
        JsonElement before = await resumed.GetFromJsonAsync<JsonElement>(new Uri(location, UriKind.Relative));
        doneAtStop = before.GetProperty("done").GetInt32();
        JsonElement status = await WaitForStateAsync(resumed, new Uri(location, UriKind.Relative), "completed");
        JsonElement page = await resumed.GetFromJsonAsync<JsonElement>(new Uri(location + "/results", UriKind.Relative));
        int[] indexes = [.. page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).Order()];

        Assert.IsLessThan(60, doneAtStop, "the first host stopped in the middle of the job");
        Assert.AreEqual(60, status.GetProperty("done").GetInt32());
        Assert.AreEqual(54, status.GetProperty("succeeded").GetInt32());
        Assert.AreEqual(6, status.GetProperty("failed").GetInt32());
        CollectionAssert.AreEqual(Enumerable.Range(0, 60).ToArray(), indexes, "every song has exactly one stored result");
    }

    internal static async Task<JsonElement> WaitForStateAsync(HttpClient client, Uri location, string state)
    {
        JsonElement status = default;
        for (int attempt = 0; attempt < 600; attempt++)
        {
            status = await client.GetFromJsonAsync<JsonElement>(location);
            if (status.GetProperty("state").GetString() == state)
            {
                return status;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The job did not reach {state} within 60 s: {status}");
        return status;
    }
}
