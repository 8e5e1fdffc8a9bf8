using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

[TestClass]
public sealed class ClassifyEndpointTests
{
    private static readonly byte[] Sine = WavBytes.Encode(TestSignals.Sine(440, 1, 44_100), 44_100);

    [TestMethod]
    public async Task Health_reports_healthy()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        HttpResponseMessage response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("Healthy", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task A_raw_wav_body_is_classified()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using var content = new ByteArrayContent(Sine);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        HttpResponseMessage response = await client.PostAsync(new Uri("/classify?id=my-song", UriKind.Relative), content);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        JsonElement json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("my-song", json.GetProperty("id").GetString());
        Assert.AreEqual("succeeded", json.GetProperty("status").GetString());
        Assert.AreEqual(1.0, json.GetProperty("audio").GetProperty("durationSeconds").GetDouble(), 1e-6);
        Assert.AreEqual(44_100, json.GetProperty("audio").GetProperty("sampleRate").GetInt32());
        Assert.AreEqual(0, app.TempFileCount());
    }

    [TestMethod]
    public async Task Features_true_adds_the_gtzan_vector_keyed_by_column_name()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using var plain = new ByteArrayContent(Sine);
        JsonElement without = await (await client.PostAsync(new Uri("/classify", UriKind.Relative), plain)).Content.ReadFromJsonAsync<JsonElement>();
        using var content = new ByteArrayContent(Sine);
        JsonElement with = await (await client.PostAsync(new Uri("/classify?features=true", UriKind.Relative), content)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.IsFalse(without.TryGetProperty("gtzanFeatures", out _));
        JsonElement vector = with.GetProperty("gtzanFeatures");
        Assert.AreEqual(57, vector.EnumerateObject().Count());
        Assert.AreEqual(440, vector.GetProperty("spectral_centroid_mean").GetDouble(), 20);
    }

    [TestMethod]
    [TestCategory(TestCategories.Ffmpeg)]
    public async Task A_multipart_file_part_is_classified_under_its_file_name()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("ignored"), "note");
        form.Add(new ByteArrayContent(Sine), "file", "track01.mp3");
        HttpResponseMessage response = await client.PostAsync(new Uri("/classify", UriKind.Relative), form);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        JsonElement json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("track01.mp3", json.GetProperty("id").GetString());
        Assert.AreEqual("wav/pcm16", json.GetProperty("audio").GetProperty("format").GetString());
    }

    [TestMethod]
    public async Task Bytes_that_are_not_audio_get_a_415_problem_with_a_stable_code()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using var content = new StringContent("definitely not audio");
        HttpResponseMessage response = await client.PostAsync(new Uri("/classify", UriKind.Relative), content);

        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("unsupported_format", problem.GetProperty("code").GetString());
        Assert.AreEqual(0, app.TempFileCount());
    }

    [TestMethod]
    public async Task A_truncated_wav_gets_a_422_corrupt_audio_problem()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using var content = new ByteArrayContent(Sine.AsSpan(0, Sine.Length / 3).ToArray());
        HttpResponseMessage response = await client.PostAsync(new Uri("/classify", UriKind.Relative), content);

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("corrupt_audio", problem.GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task An_empty_body_gets_a_problem_not_a_crash()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using var content = new ByteArrayContent([]);
        HttpResponseMessage response = await client.PostAsync(new Uri("/classify", UriKind.Relative), content);

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("empty_audio", problem.GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task An_upload_over_the_limit_gets_413_and_leaves_no_file()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxUploadBytes"] = "4096";
        using HttpClient client = app.CreateClient();

        using var content = new ByteArrayContent(Sine);
        HttpResponseMessage response = await client.PostAsync(new Uri("/classify", UriKind.Relative), content);

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("too_long", problem.GetProperty("code").GetString());
        Assert.AreEqual(0, app.TempFileCount());
    }

    [TestMethod]
    public async Task A_multipart_form_without_a_file_gets_400()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        HttpResponseMessage response = await client.PostAsync(new Uri("/classify", UriKind.Relative), form);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [TestMethod]
    public void Invalid_pipeline_configuration_stops_the_host_at_start_up()
    {
        using var app = new HostApplication();
        app.Settings["Pipeline:MaxDegreeOfParallelism"] = "0";
        app.Settings["Pipeline:SongTimeout"] = "00:00:00";

        string failure = app.RefusalAtStart();

        StringAssert.Contains(failure, "MaxDegreeOfParallelism");
        StringAssert.Contains(failure, "SongTimeout");
    }
}
