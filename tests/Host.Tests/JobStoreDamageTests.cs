using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MusicClassification.Host.Tests;

/// <summary>
/// A job store that cannot be read at start-up leaves the node analysing songs, answers every job request with one
/// clear refusal, names the file in the log, and deletes nothing (probe defect 6).
/// </summary>
[TestClass]
public sealed class JobStoreDamageTests
{
    private static readonly Uri Jobs = new("/jobs", UriKind.Relative);

    [TestMethod]
    public async Task A_store_whose_head_is_overwritten_keeps_classify_up_and_its_queued_uploads_on_disk()
    {
        string data = await DataFolderWithQueuedJobAsync();
        string store = Path.Combine(data, "jobs.db");
        using (FileStream file = File.OpenWrite(store))
        {
            file.Write(new byte[100]);
        }

        await AssertJobsUnavailableAsync(data, store, "cannot be read");
    }

    [TestMethod]
    public async Task A_store_cut_short_keeps_classify_up()
    {
        string data = await DataFolderWithQueuedJobAsync();
        string store = Path.Combine(data, "jobs.db");
        Assert.IsGreaterThan(8192L, new FileInfo(store).Length, "the store holds more than a header");
        using (FileStream file = File.OpenWrite(store))
        {
            file.SetLength(8192);
        }

        await AssertJobsUnavailableAsync(data, store, "cannot be read");
    }

    [TestMethod]
    public async Task A_missing_store_beside_queued_uploads_is_not_taken_for_a_fresh_start()
    {
        string data = await DataFolderWithQueuedJobAsync();
        string store = Path.Combine(data, "jobs.db");
        foreach (string file in Directory.GetFiles(data, "jobs.db*"))
        {
            File.Delete(file);
        }

        await AssertJobsUnavailableAsync(data, store, "is missing");
        Assert.IsFalse(File.Exists(store), "no empty store was created in its place");
    }

    [TestMethod]
    public async Task With_the_data_folder_moved_aside_the_node_starts_with_no_jobs()
    {
        string data = await DataFolderWithQueuedJobAsync();
        File.WriteAllBytes(Path.Combine(data, "jobs.db"), new byte[8192]);
        Directory.Move(data, data + "-aside");
        try
        {
            await using var app = new HostApplication { DataDirectory = data, DeleteDataOnDispose = true };
            using HttpClient client = app.CreateClient();
            using MultipartFormDataContent form = BatchForms.Form(2);
            HttpResponseMessage created = await client.PostAsync(Jobs, form);
            Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync());
            await JobTests.WaitForStateAsync(client, created.Headers.Location!, "completed");
        }
        finally
        {
            Directory.Delete(data + "-aside", recursive: true);
        }
    }

    /// <summary>A data folder whose store describes a job with songs still queued on disk (the host stopped mid-job).</summary>
    private static async Task<string> DataFolderWithQueuedJobAsync()
    {
        string data = Path.Combine(TestFolders.Root, "damaged-" + Guid.NewGuid().ToString("N"));
        await using var first = new HostApplication { DataDirectory = data };
        first.Settings["Pipeline:MaxDegreeOfParallelism"] = "1";
        first.Settings["Jobs:ShutdownGracePeriod"] = "00:00:00";
        using HttpClient client = first.CreateClient();
        using MultipartFormDataContent form = BatchForms.Form(40, seconds: 4);
        HttpResponseMessage created = await client.PostAsync(Jobs, form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync());
        return data;
    }

    private static async Task AssertJobsUnavailableAsync(string data, string store, string why)
    {
        string[] songsBefore = SongFiles(data);
        Assert.IsNotEmpty(songsBefore, "the stopped job left songs queued on disk");
        byte[]? storeBefore = File.Exists(store) ? File.ReadAllBytes(store) : null;
        try
        {
            await using var app = new HostApplication { DataDirectory = data };
            using HttpClient client = app.CreateClient();

            using var song = new ByteArrayContent(BatchForms.Song(1));
            song.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            HttpResponseMessage classified = await client.PostAsync(new Uri("/classify", UriKind.Relative), song);
            Assert.AreEqual(HttpStatusCode.OK, classified.StatusCode, await classified.Content.ReadAsStringAsync());

            using MultipartFormDataContent form = BatchForms.Form(2);
            await LimitTests.AssertProblemAsync(await client.PostAsync(Jobs, form), HttpStatusCode.ServiceUnavailable, "jobs_unavailable");
            await LimitTests.AssertProblemAsync(await client.GetAsync(new Uri("/jobs/0123456789abcdef0123456789abcdef", UriKind.Relative)), HttpStatusCode.ServiceUnavailable, "jobs_unavailable");

            HttpResponseMessage ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.AreEqual(HttpStatusCode.OK, ready.StatusCode);
            JsonElement health = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.AreEqual("Degraded", health.GetProperty("status").GetString());
            Assert.AreEqual("Degraded", health.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());
            Assert.DoesNotContain(data, health.ToString(), "health names no path");

            JsonElement performance = await client.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative));
            Assert.IsFalse(performance.TryGetProperty("jobs", out JsonElement jobs) && jobs.ValueKind != JsonValueKind.Null);

            string[] said = [.. app.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message)];
            Assert.HasCount(1, said, string.Join(Environment.NewLine, said));
            StringAssert.Contains(said[0], store);
            StringAssert.Contains(said[0], why);
            StringAssert.Contains(said[0], "aside");
        }
        finally
        {
            CollectionAssert.AreEqual(songsBefore, SongFiles(data), "the queued uploads are kept");
            CollectionAssert.AreEqual(storeBefore, File.Exists(store) ? File.ReadAllBytes(store) : null, "the store is left as it was");
            Directory.Delete(data, recursive: true);
        }
    }

    private static string[] SongFiles(string data) =>
        [.. Directory.GetFiles(Path.Combine(data, "spool"), "*.song", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
}
