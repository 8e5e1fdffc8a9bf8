using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests.Services;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MusicClassification.Host.Tests;

/// <summary>
/// The host as API and worker processes with a real RabbitMQ node between them, each started as users start it (its
/// own process, loopback only); failures made for real: SIGKILL, a broker stopped and started, a consumer that dies.
/// </summary>
[TestClass]
[TestCategory("rabbitmq")]
public sealed class ScaleOutTests
{
    private static readonly Uri Jobs = new("/jobs", UriKind.Relative);

    public TestContext TestContext { get; set; } = null!;

    private static Dictionary<string, string> Api(RabbitMqNode node, string data, int deliveryLimit = 3) => new()
    {
        ["Host:Role"] = "Api",
        ["Broker:Port"] = $"{node.Port}",
        ["Broker:RecoveryInterval"] = "00:00:00.500",
        ["Broker:DeliveryLimit"] = $"{deliveryLimit}",
        ["Jobs:DataDirectory"] = data,
        ["Limits:TempDirectory"] = Path.Combine(data, "temp"),
        ["MusiCnn:ModelsPath"] = "",
    };

    private static Dictionary<string, string> Worker(RabbitMqNode node, string temp) => new()
    {
        ["Host:Role"] = "Worker",
        ["Broker:Port"] = $"{node.Port}",
        ["Broker:RecoveryInterval"] = "00:00:00.500",
        ["Limits:TempDirectory"] = temp,
        ["MusiCnn:ModelsPath"] = "",
    };

    private static string Folder() => Path.Combine(TestFolders.Root, "scale", Guid.NewGuid().ToString("N"));

    [TestMethod]
    public async Task A_200_song_job_gets_200_results_once_each_when_a_worker_is_killed_mid_run()
    {
        await using RabbitMqNode node = await RabbitMqNode.StartAsync();
        string data = Folder();
        await using HostProcess api = await HostProcess.StartAsync(Api(node, data), TestContext.CancellationTokenSource.Token);
        await using HostProcess doomed = await HostProcess.StartAsync(Worker(node, Folder()), TestContext.CancellationTokenSource.Token);
        await using HostProcess survivor = await HostProcess.StartAsync(Worker(node, Folder()), TestContext.CancellationTokenSource.Token);

        // 10 s songs, so each worker has songs in progress when it dies; every 20th song is not audio.
        using MultipartFormDataContent form = BatchForms.Form(200, brokenEvery: 20, seconds: 10);
        HttpResponseMessage created = await api.Http.PostAsync(Jobs, form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync());
        Uri location = created.Headers.Location!;

        JsonElement before = await WaitAsync(api, location, s => s.GetProperty("done").GetInt32() >= 40, "40 songs done");
        await doomed.KillAsync();
        int doneAtKill = before.GetProperty("done").GetInt32();

        JsonElement status = await WaitAsync(api, location, s => s.GetProperty("state").GetString() == "completed", "the job completed", api, survivor);
        JsonElement page = await api.Http.GetFromJsonAsync<JsonElement>(new Uri(location + "/results", UriKind.Relative));
        JsonElement[] results = [.. page.GetProperty("results").EnumerateArray()];

        Assert.IsLessThan(200, doneAtKill, "the worker died while the job was running");
        Assert.AreEqual(200, status.GetProperty("done").GetInt32());
        Assert.AreEqual(10, status.GetProperty("failed").GetInt32());
        CollectionAssert.AreEqual(Enumerable.Range(0, 200).ToArray(), results.Select(r => r.GetProperty("index").GetInt32()).Order().ToArray(), "every song exactly once");
        CollectionAssert.AreEqual(Enumerable.Range(1, 200).ToArray(), results.Select(r => r.GetProperty("position").GetInt32()).ToArray());
        foreach (JsonElement result in results)
        {
            int index = result.GetProperty("index").GetInt32();
            bool broken = index % 20 == 19;
            Assert.AreEqual(broken ? "failed" : "succeeded", result.GetProperty("status").GetString(), $"song {index}");
            if (broken)
            {
                Assert.AreEqual("unsupported_format", result.GetProperty("error").GetProperty("code").GetString());
            }
            else
            {
                Assert.AreEqual(10, result.GetProperty("audio").GetProperty("analysedSeconds").GetDouble(), 1e-6);
            }
        }
    }

    [TestMethod]
    public async Task New_jobs_get_503_while_the_broker_is_down_results_stay_readable_and_both_roles_reconnect()
    {
        await using RabbitMqNode node = await RabbitMqNode.StartAsync();
        string data = Folder();
        await using HostProcess api = await HostProcess.StartAsync(Api(node, data), TestContext.CancellationTokenSource.Token);
        await using HostProcess worker = await HostProcess.StartAsync(Worker(node, Folder()), TestContext.CancellationTokenSource.Token);
        Uri first = await CompleteJobAsync(api, worker, 5);

        await node.StopAsync();
        await WaitReadyAsync(api, ready: false);
        using MultipartFormDataContent refused = BatchForms.Form(3);
        HttpResponseMessage refusal = await api.Http.PostAsync(Jobs, refused);
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, refusal.StatusCode);
        StringAssert.Contains(await refusal.Content.ReadAsStringAsync(), "broker_unavailable");
        Assert.IsNotNull(refusal.Headers.RetryAfter, "Retry-After says when to try again");
        JsonElement kept = await api.Http.GetFromJsonAsync<JsonElement>(new Uri(first + "/results", UriKind.Relative));
        Assert.HasCount(5, kept.GetProperty("results").EnumerateArray().ToArray(), "results stay readable without the broker");

        await node.StartAgainAsync();
        await WaitReadyAsync(api, ready: true);
        await WaitReadyAsync(worker, ready: true);
        await CompleteJobAsync(api, worker, 7);
    }

    [TestMethod]
    public async Task An_api_node_killed_after_accepting_a_job_resumes_collecting_its_results_when_restarted()
    {
        await using RabbitMqNode node = await RabbitMqNode.StartAsync();
        string data = Folder();
        HostProcess api = await HostProcess.StartAsync(Api(node, data), TestContext.CancellationTokenSource.Token);
        await using HostProcess worker = await HostProcess.StartAsync(Worker(node, Folder()), TestContext.CancellationTokenSource.Token);
        using MultipartFormDataContent form = BatchForms.Form(60, seconds: 5);
        HttpResponseMessage created = await api.Http.PostAsync(Jobs, form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode);
        Uri location = created.Headers.Location!;
        await WaitAsync(api, location, s => s.GetProperty("done").GetInt32() >= 5, "5 songs done");
        await api.KillAsync();
        await api.DisposeAsync();

        // The workers go on; their results wait in the durable result queue for the next API node.
        await using HostProcess restarted = await HostProcess.StartAsync(Api(node, data), TestContext.CancellationTokenSource.Token);
        JsonElement status = await WaitAsync(restarted, location, s => s.GetProperty("state").GetString() == "completed", "the job completed", restarted, worker);
        JsonElement page = await restarted.Http.GetFromJsonAsync<JsonElement>(new Uri(location + "/results", UriKind.Relative));

        Assert.AreEqual(60, status.GetProperty("succeeded").GetInt32());
        CollectionAssert.AreEqual(Enumerable.Range(0, 60).ToArray(), page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).Order().ToArray());
    }

    [TestMethod]
    public async Task A_song_no_consumer_survives_is_dead_lettered_and_gets_an_internal_error_result()
    {
        await using RabbitMqNode node = await RabbitMqNode.StartAsync();
        await using HostProcess api = await HostProcess.StartAsync(Api(node, Folder(), deliveryLimit: 1), TestContext.CancellationTokenSource.Token);
        using MultipartFormDataContent form = BatchForms.Form(1);
        HttpResponseMessage created = await api.Http.PostAsync(Jobs, form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode);
        Uri location = created.Headers.Location!;

        // A consumer that takes the song and dies without acknowledging it, twice: past the delivery limit of 1.
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = node.Port };
        for (int attempt = 0; attempt < 2; attempt++)
        {
            await using IConnection connection = await factory.CreateConnectionAsync();
            await using IChannel channel = await connection.CreateChannelAsync();
            var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, _) =>
            {
                taken.TrySetResult();
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync("music.songs", autoAck: false, consumer);
            await taken.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await connection.AbortAsync();
        }

        JsonElement status = await WaitAsync(api, location, s => s.GetProperty("state").GetString() == "completed", "the job completed", api);
        JsonElement result = (await api.Http.GetFromJsonAsync<JsonElement>(new Uri(location + "/results", UriKind.Relative))).GetProperty("results")[0];

        Assert.AreEqual(1, status.GetProperty("failed").GetInt32());
        Assert.AreEqual("internal_error", result.GetProperty("error").GetProperty("code").GetString());
        StringAssert.Contains(result.GetProperty("error").GetProperty("message").GetString(), "2 times");
    }

    [TestMethod]
    public async Task Songs_larger_than_a_message_are_fetched_by_the_worker_from_the_api_node_for_jobs_batches_and_single_songs()
    {
        await using RabbitMqNode node = await RabbitMqNode.StartAsync();
        string data = Folder();
        Dictionary<string, string> settings = Api(node, data);
        settings["Broker:MaxSongBytes"] = $"{64 * 1024}";
        await using HostProcess api = await HostProcess.StartAsync(settings, TestContext.CancellationTokenSource.Token);
        await using HostProcess worker = await HostProcess.StartAsync(Worker(node, Folder()), TestContext.CancellationTokenSource.Token);
        byte[] large = BatchForms.Song(2, seconds: 3);
        Assert.IsGreaterThan(64 * 1024, large.Length);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(BatchForms.Song(1, seconds: 0.5)), "file", "small.wav" },
            { new ByteArrayContent(large), "file", "large.wav" },
        };

        HttpResponseMessage created = await api.Http.PostAsync(Jobs, form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode);
        Uri location = created.Headers.Location!;
        await WaitAsync(api, location, s => s.GetProperty("state").GetString() == "completed", "the job completed", api, worker);
        var results = (await api.Http.GetFromJsonAsync<JsonElement>(new Uri(location + "/results", UriKind.Relative)))
            .GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.AreEqual("succeeded", results["small.wav"].GetProperty("status").GetString());
        Assert.AreEqual("succeeded", results["large.wav"].GetProperty("status").GetString(), results["large.wav"].ToString());
        Assert.IsEmpty(Directory.EnumerateFiles(Path.Combine(data, "spool"), "*", SearchOption.AllDirectories), "the fetched song's file goes once its result is stored");

        using var single = new ByteArrayContent(large);
        HttpResponseMessage one = await api.Http.PostAsync(new Uri("/classify?id=large.wav", UriKind.Relative), single);
        Assert.AreEqual(HttpStatusCode.OK, one.StatusCode, await one.Content.ReadAsStringAsync());

        using var batchForm = new MultipartFormDataContent { { new ByteArrayContent(large), "file", "large.wav" } };
        HttpResponseMessage batch = await api.Http.PostAsync(new Uri("/classify/batch", UriKind.Relative), batchForm);
        JsonElement answer = await batch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(1, answer.GetProperty("summary").GetProperty("succeeded").GetInt32(), answer.ToString());
    }

    [TestMethod]
    public async Task A_spooled_song_is_served_to_a_fetch_that_names_its_sha256_and_to_no_other()
    {
        await using RabbitMqNode node = await RabbitMqNode.StartAsync();
        string data = Folder();
        Dictionary<string, string> settings = Api(node, data);
        settings["Broker:MaxSongBytes"] = $"{64 * 1024}";
        settings["ApiKeys:Keys:0"] = "a-key-of-at-least-16-characters";
        await using HostProcess api = await HostProcess.StartAsync(settings, TestContext.CancellationTokenSource.Token);
        byte[] large = BatchForms.Song(3, seconds: 3);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(large), "file", "large.wav" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, Jobs) { Content = form };
        request.Headers.Add("X-Api-Key", "a-key-of-at-least-16-characters");

        // No worker runs: the song is sent by address and stays in the API node's spool.
        HttpResponseMessage created = await api.Http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync());
        string job = created.Headers.Location!.OriginalString.Split('/')[^1];
        string sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(large));
        Uri Source(string hash) => new($"/internal/songs/jobs/{job}/0?sha256={hash}", UriKind.Relative);

        HttpResponseMessage fetched = await api.Http.GetAsync(Source(sha256));
        for (int attempt = 0; attempt < 50 && fetched.StatusCode == HttpStatusCode.NotFound; attempt++)
        {
            await Task.Delay(100);
            fetched = await api.Http.GetAsync(Source(sha256));
        }

        Assert.AreEqual(HttpStatusCode.OK, fetched.StatusCode, "a worker holds no API key: the hash is its proof");
        CollectionAssert.AreEqual(large, await fetched.Content.ReadAsByteArrayAsync());
        Assert.AreEqual(HttpStatusCode.NotFound, (await api.Http.GetAsync(Source(new string('0', 64)))).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await api.Http.GetAsync(new Uri($"/internal/songs/jobs/{job}/1?sha256={sha256}", UriKind.Relative))).StatusCode);
    }

    [TestMethod]
    public async Task An_api_node_sends_single_songs_and_batches_to_the_workers_and_answers_in_the_same_shape()
    {
        await using RabbitMqNode node = await RabbitMqNode.StartAsync();
        await using HostProcess api = await HostProcess.StartAsync(Api(node, Folder()), TestContext.CancellationTokenSource.Token);
        await using HostProcess worker = await HostProcess.StartAsync(Worker(node, Folder()), TestContext.CancellationTokenSource.Token);
        await WaitReadyAsync(worker, ready: true);

        using var single = new ByteArrayContent(BatchForms.Song(7, seconds: 1));
        HttpResponseMessage one = await api.Http.PostAsync(new Uri("/classify?id=one.wav&features=true", UriKind.Relative), single);
        Assert.AreEqual(HttpStatusCode.OK, one.StatusCode, await one.Content.ReadAsStringAsync());
        JsonElement song = await one.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("one.wav", song.GetProperty("id").GetString());
        Assert.AreEqual(57, song.GetProperty("gtzanFeatures").EnumerateObject().Count(), "features travel back when asked for");

        using MultipartFormDataContent form = BatchForms.Form(12, brokenEvery: 4);
        using HttpRequestMessage request = BatchForms.NdjsonBatch(form);
        HttpResponseMessage batch = await api.Http.SendAsync(request);
        string[] lines = (await batch.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonElement[] results = lines[..^1].Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        JsonElement summary = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("summary");

        CollectionAssert.AreEquivalent(Enumerable.Range(0, 12).ToArray(), results.Select(r => r.GetProperty("index").GetInt32()).ToArray(), "each part once");
        Assert.AreEqual(9, results.Count(r => r.GetProperty("status").GetString() == "succeeded"));
        Assert.IsTrue(results.Where(r => r.GetProperty("index").GetInt32() % 4 == 3).All(r => r.GetProperty("error").GetProperty("code").GetString() == "unsupported_format"));
        Assert.IsFalse(results.Any(r => r.TryGetProperty("gtzanFeatures", out _)), "not asked for");
        Assert.AreEqual((9, 3), (summary.GetProperty("succeeded").GetInt32(), summary.GetProperty("failed").GetInt32()));

        // The analysis happened on the worker: the API node's pipeline never ran a song.
        JsonElement apiSongs = (await api.Http.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative))).GetProperty("songs");
        JsonElement workerSongs = (await worker.Http.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative))).GetProperty("songs");
        Assert.AreEqual((0L, 0L), (apiSongs.GetProperty("succeeded").GetInt64(), apiSongs.GetProperty("failed").GetInt64()));
        Assert.AreEqual((10L, 3L), (workerSongs.GetProperty("succeeded").GetInt64(), workerSongs.GetProperty("failed").GetInt64()));
    }

    private static async Task<Uri> CompleteJobAsync(HostProcess api, HostProcess worker, int songs)
    {
        using MultipartFormDataContent form = BatchForms.Form(songs);
        HttpResponseMessage created = await api.Http.PostAsync(Jobs, form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync());
        Uri location = created.Headers.Location!;
        JsonElement status = await WaitAsync(api, location, s => s.GetProperty("state").GetString() == "completed", "the job completed", api, worker);
        Assert.AreEqual(songs, status.GetProperty("succeeded").GetInt32());
        return location;
    }

    private static async Task WaitReadyAsync(HostProcess host, bool ready)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            HttpResponseMessage answer = await host.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (answer.IsSuccessStatusCode == ready)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The host was not {(ready ? "ready" : "unready")} within 60 s.{Environment.NewLine}{host.RecentErrors}");
    }

    private static async Task<JsonElement> WaitAsync(HostProcess api, Uri location, Func<JsonElement, bool> condition, string what, params HostProcess[] logs)
    {
        JsonElement status = default;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(3))
        {
            status = await api.Http.GetFromJsonAsync<JsonElement>(location);
            if (condition(status))
            {
                return status;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Not reached within 3 minutes: {what}. Last status: {status}{Environment.NewLine}{string.Join(Environment.NewLine, logs.Select(l => l.RecentErrors))}");
        return status;
    }
}
