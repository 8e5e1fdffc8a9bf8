using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests.Services;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

/// <summary>
/// More machines, as users run them: two API nodes behind no affinity (each request to either node), two workers, a
/// PostgreSQL job store and RabbitMQ, every one its own process or server on loopback; a worker and an API node killed
/// with SIGKILL mid-job.
/// </summary>
[TestClass]
[TestCategory("rabbitmq")]
[TestCategory("postgresql")]
public sealed class SharedNothingTests
{
    private static readonly Uri Jobs = new("/jobs", UriKind.Relative);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Two_api_nodes_and_two_workers_finish_a_job_through_a_killed_worker_and_a_killed_api_node()
    {
        await using RabbitMqNode broker = await RabbitMqNode.StartAsync();
        await using PostgresNode database = await PostgresNode.StartAsync();
        string dataA = Folder();
        string dataB = Folder();
        CancellationToken cancel = TestContext.CancellationTokenSource.Token;
        HostProcess apiA = await HostProcess.StartAsync(Api(broker, database, dataA), cancel);
        await using HostProcess apiB = await HostProcess.StartAsync(Api(broker, database, dataB), cancel);
        await using HostProcess doomed = await HostProcess.StartAsync(Worker(broker), cancel);
        await using HostProcess survivor = await HostProcess.StartAsync(Worker(broker), cancel);
        try
        {
            var nodes = new Alternating(apiA, apiB);

            // 200 songs of 10 s, every 10th not audio; the upload to one node, every later request to either.
            using MultipartFormDataContent form = BatchForms.Form(200, brokenEvery: 10, seconds: 10);
            HttpResponseMessage created = await apiA.Http.PostAsync(Jobs, form, cancel);
            Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync(cancel));
            Uri location = created.Headers.Location!;

            await WaitAsync(nodes, location, s => s.GetProperty("done").GetInt32() >= 80, "40 % done", doomed, survivor);
            await doomed.KillAsync();
            JsonElement atApiKill = await WaitAsync(nodes, location, s => s.GetProperty("done").GetInt32() >= 120, "60 % done", survivor);
            await apiA.KillAsync();
            nodes = new Alternating(apiB);
            Assert.IsLessThan(200, atApiKill.GetProperty("done").GetInt32(), "the API node that took the upload died mid-job");

            JsonElement status = await WaitAsync(nodes, location, s => s.GetProperty("state").GetString() == "completed", "the job completed", apiB, survivor);
            Assert.AreEqual((200, 20), (status.GetProperty("done").GetInt32(), status.GetProperty("failed").GetInt32()));

            // The killed node comes back on its data; both nodes then give the same 200 results, each song once.
            apiA = await HostProcess.StartAsync(Api(broker, database, dataA), cancel);
            string[] fromA = await ResultsAsync(apiA, location);
            string[] fromB = await ResultsAsync(apiB, location);
            CollectionAssert.AreEqual(fromB, fromA);
            int[] indexes = fromA.Select(r => JsonDocument.Parse(r).RootElement.GetProperty("index").GetInt32()).ToArray();
            CollectionAssert.AreEquivalent(Enumerable.Range(0, 200).ToArray(), indexes, "every song exactly once");

            // A 50 MB FLAC (too large for a message: fetched by the worker from the node holding it), as a job on one node.
            byte[] flac = FfmpegEncoder.EncodeLavfi(
                "anoisesrc=d=200:c=white:r=48000:a=0.5:s=1[a];anoisesrc=d=200:c=white:r=48000:a=0.5:s=2[b];[a][b]amerge=inputs=2[out0]",
                "flac", "-sample_fmt", "s32", "-c:a", "flac");
            Assert.IsGreaterThan(50_000_000, flac.Length);
            using var flacForm = new MultipartFormDataContent { { new ByteArrayContent(flac), "file", "long.flac" } };
            HttpResponseMessage flacJob = await apiB.Http.PostAsync(Jobs, flacForm, cancel);
            Assert.AreEqual(HttpStatusCode.Accepted, flacJob.StatusCode, await flacJob.Content.ReadAsStringAsync(cancel));
            nodes = new Alternating(apiA, apiB);
            JsonElement flacStatus = await WaitAsync(nodes, flacJob.Headers.Location!, s => s.GetProperty("state").GetString() == "completed", "the FLAC job completed", apiB, survivor);
            Assert.AreEqual(1, flacStatus.GetProperty("succeeded").GetInt32(), string.Join(Environment.NewLine, await ResultsAsync(apiA, flacJob.Headers.Location!)));

            // A batch sent to an API node is analysed by the workers.
            using MultipartFormDataContent batchForm = BatchForms.Form(6);
            HttpResponseMessage batch = await apiA.Http.PostAsync(new Uri("/classify/batch", UriKind.Relative), batchForm, cancel);
            JsonElement summary = (await batch.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("summary");
            Assert.AreEqual(6, summary.GetProperty("succeeded").GetInt32());
            JsonElement songsOnApi = (await apiA.Http.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative), cancel)).GetProperty("songs");
            Assert.AreEqual(0L, songsOnApi.GetProperty("succeeded").GetInt64(), "the API node analysed nothing");
        }
        finally
        {
            await apiA.DisposeAsync();
        }
    }

    private static Dictionary<string, string> Api(RabbitMqNode broker, PostgresNode database, string data) => new()
    {
        ["Host:Role"] = "Api",
        ["Broker:Port"] = $"{broker.Port}",
        ["Broker:RecoveryInterval"] = "00:00:00.500",
        ["Jobs:PostgreSql"] = database.ConnectionString(),
        ["Jobs:DataDirectory"] = data,
        ["Limits:TempDirectory"] = Path.Combine(data, "temp"),
        ["MusiCnn:ModelsPath"] = "",
    };

    private static Dictionary<string, string> Worker(RabbitMqNode broker) => new()
    {
        ["Host:Role"] = "Worker",
        ["Broker:Port"] = $"{broker.Port}",
        ["Broker:RecoveryInterval"] = "00:00:00.500",
        ["Limits:TempDirectory"] = Folder(),
        ["MusiCnn:ModelsPath"] = "",
    };

    private static string Folder() => Path.Combine(TestFolders.Root, "shared-nothing", Guid.NewGuid().ToString("N"));

    private static async Task<string[]> ResultsAsync(HostProcess api, Uri location)
    {
        JsonElement page = await api.Http.GetFromJsonAsync<JsonElement>(new Uri(location + "/results", UriKind.Relative));
        return [.. page.GetProperty("results").EnumerateArray().Select(r => r.GetRawText())];
    }

    private static async Task<JsonElement> WaitAsync(Alternating nodes, Uri location, Func<JsonElement, bool> condition, string what, params HostProcess[] logs)
    {
        JsonElement status = default;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(4))
        {
            status = await nodes.Next().Http.GetFromJsonAsync<JsonElement>(location);
            if (condition(status))
            {
                return status;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Not reached within 4 minutes: {what}. Last status: {status}{Environment.NewLine}{string.Join(Environment.NewLine, logs.Select(l => l.RecentErrors))}");
        return status;
    }

    /// <summary>No affinity: each request goes to the next node in turn.</summary>
    private sealed class Alternating(params HostProcess[] nodes)
    {
        private int _turn;

        public HostProcess Next() => nodes[_turn++ % nodes.Length];
    }
}
