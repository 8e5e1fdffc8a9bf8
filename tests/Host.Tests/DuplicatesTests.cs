using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

/// <summary>With fingerprints on, a batch's summary and a job's <c>/duplicates</c> name the songs that are the same recording.</summary>
[TestClass]
public sealed class DuplicatesTests
{
    [TestMethod]
    public async Task A_batch_summary_and_a_job_group_one_recording_in_three_formats_and_leave_other_songs_out()
    {
        await using var app = new HostApplication();
        app.Settings["Pipeline:Features:Fingerprint"] = "true";
        using HttpClient client = app.CreateClient();
        string nebula = TestData.Clip("singularity-nebula-30s");

        MultipartFormDataContent Form() => new()
        {
            { new ByteArrayContent(File.ReadAllBytes(nebula)), "file", "nebula.ogg" },
            { new ByteArrayContent(File.ReadAllBytes(TestData.Clip("singularity-coherence-30s"))), "file", "coherence.ogg" },
            { new ByteArrayContent(FfmpegEncoder.EncodeFile(nebula, "mp3", "-c:a", "libmp3lame", "-b:a", "96k")), "file", "track03.mp3" },
            { new ByteArrayContent(FfmpegEncoder.EncodeFile(nebula, "flac", "-c:a", "flac")), "file", "nebula.flac" },
        };

        using MultipartFormDataContent batchForm = Form();
        HttpResponseMessage batch = await client.PostAsync(new Uri("/classify/batch", UriKind.Relative), batchForm);
        JsonElement answer = await batch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(HttpStatusCode.OK, batch.StatusCode, answer.ToString());
        Assert.AreEqual("[[0,2,3]]", answer.GetProperty("summary").GetProperty("duplicates").GetRawText());
        Assert.IsTrue(answer.GetProperty("results").EnumerateArray().All(r => r.GetProperty("fingerprint").GetString()!.StartsWith("AQAA", StringComparison.Ordinal)));

        using MultipartFormDataContent jobForm = Form();
        HttpResponseMessage created = await client.PostAsync(new Uri("/jobs", UriKind.Relative), jobForm);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode);
        await JobTests.WaitForStateAsync(client, created.Headers.Location!, "completed");
        JsonElement duplicates = await client.GetFromJsonAsync<JsonElement>(new Uri(created.Headers.Location + "/duplicates", UriKind.Relative));

        Assert.IsTrue(duplicates.GetProperty("complete").GetBoolean());
        Assert.AreEqual(4, duplicates.GetProperty("fingerprinted").GetInt32());
        JsonElement group = duplicates.GetProperty("groups").EnumerateArray().Single();
        CollectionAssert.AreEqual(new[] { "nebula.ogg", "track03.mp3", "nebula.flac" }, group.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToArray());
    }

    [TestMethod]
    public async Task Without_fingerprints_a_batch_has_no_duplicates_section()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        using MultipartFormDataContent form = BatchForms.Form(2);
        JsonElement answer = await (await client.PostAsync(new Uri("/classify/batch", UriKind.Relative), form)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.IsFalse(answer.GetProperty("summary").TryGetProperty("duplicates", out _));
        Assert.IsFalse(answer.GetProperty("results")[0].TryGetProperty("fingerprint", out _));
    }
}
