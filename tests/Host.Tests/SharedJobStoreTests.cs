using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Jobs;
using MusicClassification.Tests.Services;

namespace MusicClassification.Host.Tests;

/// <summary>
/// The PostgreSQL job store against a real server of its own (loopback, private port and data): what any node may do
/// to any job, what only the node holding a job's songs does, and the promises the embedded store keeps in one process
/// (admission limits, one result per song, gapless positions) kept across nodes by the database.
/// </summary>
[TestClass]
[TestCategory("postgresql")]
public sealed class SharedJobStoreTests
{
    private static PostgresNode? _server;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartServerAsync(TestContext _) => _server = await PostgresNode.StartAsync();

    [ClassCleanup]
    public static async Task StopServerAsync()
    {
        if (_server is { } server)
        {
            await server.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task Any_node_reads_a_job_but_only_the_node_holding_its_songs_resumes_it()
    {
        string connection = await DatabaseAsync();
        using PostgreSqlJobStore a = Open(connection);
        using PostgreSqlJobStore b = Open(connection);

        Assert.AreEqual(JobAdmission.Created, await a.CreateAsync(Job("job-a", 3), Songs(3), 10, 10, CancellationToken.None));

        Assert.AreEqual(3, b.Find("job-a")!.Total);
        CollectionAssert.AreEqual(new[] { "job-a" }, a.Unfinished().ToArray());
        Assert.IsEmpty(b.Unfinished(), "another node does not hold the job's songs");
        Assert.HasCount(3, a.Pending("job-a"));
        Assert.IsEmpty(b.Pending("job-a"));

        // A result collected by the other node counts, and the job completes there.
        foreach (int index in new[] { 2, 0, 1 })
        {
            Assert.IsTrue(await b.StoreResultAsync("job-a", index, $$"""{"index":{{index}}}""", succeeded: index != 1, DateTimeOffset.UtcNow));
        }

        Assert.IsTrue(await b.CompleteIfDoneAsync("job-a", DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));
        JobRecord done = a.Find("job-a")!;
        Assert.AreEqual((JobState.Completed, 3, 2, 1), (done.State, done.Done, done.Succeeded, done.Failed));
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, a.Results("job-a", 0, 10).Select(r => r.Position).ToArray());
        StringAssert.Contains(a.Results("job-a", 0, 10)[0].Json, "\"index\":2", "positions are the completion order");
    }

    [TestMethod]
    public async Task Results_stored_by_two_nodes_at_once_count_once_each_with_gapless_positions()
    {
        string connection = await DatabaseAsync();
        using PostgreSqlJobStore a = Open(connection);
        using PostgreSqlJobStore b = Open(connection);
        const int Count = 200;
        await a.CreateAsync(Job("busy", Count), Songs(Count), 10, 10, CancellationToken.None);

        // Every song's result arrives twice, once at each node (a redelivery), 32 stores at a time across the two nodes
        // (more than the collectors' own concurrency, fewer than the connection pools).
        var stored = new System.Collections.Concurrent.ConcurrentBag<bool>();
        (int Index, PostgreSqlJobStore Node)[] arrivals = Enumerable.Range(0, Count).SelectMany(index => new[] { (index, a), (index, b) }).ToArray();
        await Parallel.ForEachAsync(arrivals, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (arrival, _) =>
            stored.Add(await arrival.Node.StoreResultAsync("busy", arrival.Index, "{}", succeeded: true, DateTimeOffset.UtcNow)));

        Assert.AreEqual(Count, stored.Count(s => s), "each song's result is stored exactly once");
        Assert.AreEqual(Count, a.Find("busy")!.Done);
        CollectionAssert.AreEqual(Enumerable.Range(1, Count).ToArray(), a.Results("busy", 0, 1000).Select(r => r.Position).ToArray());
    }

    [TestMethod]
    public async Task Open_job_limits_hold_for_uploads_finishing_together_on_different_nodes()
    {
        string connection = await DatabaseAsync();
        using PostgreSqlJobStore a = Open(connection);
        using PostgreSqlJobStore b = Open(connection);

        JobAdmission[] admitted = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => (i % 2 == 0 ? a : b).CreateAsync(Job($"job{i}", 1, owner: i < 6 ? "one" : "two"), Songs(1), maxOpenJobs: 8, maxOpenJobsPerClient: 4, CancellationToken.None))));

        Assert.AreEqual(8, admitted.Count(x => x == JobAdmission.Created));
        Assert.AreEqual(8, a.OpenJobs(null));
        Assert.IsLessThanOrEqualTo(4, a.OpenJobs("one"));
        Assert.IsLessThanOrEqualTo(4, a.OpenJobs("two"));
    }

    [TestMethod]
    public async Task Migrations_are_applied_once_and_a_schema_from_a_newer_build_stops_the_node()
    {
        string connection = await DatabaseAsync();
        using (Open(connection))
        using (Open(connection))
        {
        }

        string database = new Npgsql.NpgsqlConnectionStringBuilder(connection).Database!;
        Assert.AreEqual($"{PostgreSqlJobStore.SchemaVersion}", (await _server!.QueryAsync(database, "SELECT string_agg(version::text, ',') FROM job_store_migrations")).Trim());

        await _server.QueryAsync(database, $"INSERT INTO job_store_migrations (version) VALUES ({PostgreSqlJobStore.SchemaVersion + 1})");
        var newer = new PostgreSqlJobStore(new JobDataFolder(Options.Create(new JobOptions { DataDirectory = Folder() })), Options.Create(new JobOptions { PostgreSql = connection }));
        InvalidOperationException refused = Assert.ThrowsExactly<InvalidOperationException>(newer.Open);
        StringAssert.Contains(refused.Message, "newer than this build's");
        newer.Dispose();
    }

    [TestMethod]
    public async Task Two_api_nodes_on_one_store_each_answer_the_other_nodes_jobs()
    {
        string connection = await DatabaseAsync();
        await using var first = new HostApplication();
        await using var second = new HostApplication();
        first.Settings["Jobs:PostgreSql"] = connection;
        second.Settings["Jobs:PostgreSql"] = connection;
        using HttpClient toFirst = first.CreateClient();
        using HttpClient toSecond = second.CreateClient();

        using MultipartFormDataContent form = BatchForms.Form(4);
        HttpResponseMessage created = await toFirst.PostAsync(new Uri("/jobs", UriKind.Relative), form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync());

        // Status, results and the delete all through the node that did not take the upload.
        JsonElement status = await JobTests.WaitForStateAsync(toSecond, created.Headers.Location!, "completed");
        Assert.AreEqual(4, status.GetProperty("succeeded").GetInt32());
        JsonElement page = await toSecond.GetFromJsonAsync<JsonElement>(new Uri(created.Headers.Location + "/results", UriKind.Relative));
        CollectionAssert.AreEquivalent(new[] { 0, 1, 2, 3 }, page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).ToArray());

        Assert.AreEqual(HttpStatusCode.NoContent, (await toSecond.DeleteAsync(created.Headers.Location)).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await toFirst.GetAsync(created.Headers.Location)).StatusCode);
    }

    private static async Task<string> DatabaseAsync()
    {
        string name = "t" + Guid.NewGuid().ToString("N")[..12];
        await _server!.CreateDatabaseAsync(name);
        return _server.ConnectionString(name);
    }

    private static PostgreSqlJobStore Open(string connection)
    {
        var store = new PostgreSqlJobStore(new JobDataFolder(Options.Create(new JobOptions { DataDirectory = Folder() })), Options.Create(new JobOptions { PostgreSql = connection }));
        store.Open();
        Assert.IsNull(store.Unavailable, store.Unavailable);
        return store;
    }

    private static string Folder() => Path.Combine(TestFolders.Root, "pg-" + Guid.NewGuid().ToString("N"));

    private static JobRecord Job(string id, int total, string? owner = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new JobRecord(id, owner, JobState.Queued, total, 0, 0, 0, false, now, now, null, null, null);
    }

    private static NewJobSong[] Songs(int count) =>
        Enumerable.Range(0, count).Select(i => new NewJobSong(i, $"song{i}.wav", $"/nowhere/{i}.song", null, false)).ToArray();
}
