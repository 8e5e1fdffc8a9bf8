using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MusicClassification.Host.Tests;

[TestClass]
public sealed class OperationsTests
{
    [TestMethod]
    public async Task Liveness_is_up_and_readiness_says_ffmpeg_is_missing()
    {
        await using var app = new HostApplication();
        app.Settings["Pipeline:Decoding:FfmpegPath"] = "/nonexistent/ffmpeg";
        using HttpClient client = app.CreateClient();

        HttpResponseMessage live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        HttpResponseMessage ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        HttpResponseMessage health = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.OK, live.StatusCode);
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.DoesNotContain("/nonexistent", await ready.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task Performance_moves_when_songs_are_classified()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        JsonElement before = await client.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative));

        using MultipartFormDataContent form = BatchForms.Form(6, brokenEvery: 3);
        (await client.PostAsync(new Uri("/classify/batch", UriKind.Relative), form)).EnsureSuccessStatusCode();
        JsonElement after = await client.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative));

        // The pipeline's meter is process-wide (other tests' hosts add to it), so the figures must have moved at least this much.
        JsonElement songs = after.GetProperty("songs");
        Assert.IsGreaterThanOrEqualTo(before.GetProperty("songs").GetProperty("succeeded").GetInt64() + 4, songs.GetProperty("succeeded").GetInt64());
        Assert.IsGreaterThanOrEqualTo(2, songs.GetProperty("failures").GetProperty("unsupported_format").GetInt64());
        Assert.IsGreaterThan(0, after.GetProperty("requests").GetProperty("total").GetInt64());
        JsonElement decode = after.GetProperty("latencySeconds").GetProperty("decode");
        Assert.IsGreaterThanOrEqualTo(6, decode.GetProperty("samples").GetInt32());
        Assert.IsGreaterThan(0, decode.GetProperty("p99").GetDouble());
        Assert.IsGreaterThanOrEqualTo(decode.GetProperty("p50").GetDouble(), decode.GetProperty("p95").GetDouble());
        Assert.IsGreaterThan(0, after.GetProperty("latencySeconds").GetProperty("end_to_end").GetProperty("samples").GetInt32());
        Assert.AreEqual(4, after.GetProperty("pipeline").GetProperty("maxDegreeOfParallelism").GetInt32());
        Assert.AreEqual(0, after.GetProperty("pipeline").GetProperty("openBatches").GetInt32());
        Assert.AreEqual(0, after.GetProperty("pipeline").GetProperty("interactiveSongs").GetInt32(), "a single song's count outlived its result");
        Assert.AreEqual(0, after.GetProperty("pipeline").GetProperty("songsSteppingAside").GetInt32());
        Assert.IsGreaterThan(0, after.GetProperty("process").GetProperty("residentBytes").GetInt64());
        Assert.AreEqual(0, after.GetProperty("spool").GetProperty("bytes").GetInt64());
    }

    [TestMethod]
    public async Task Metrics_expose_the_pipeline_aspnetcore_and_runtime_meters_in_prometheus_format()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        using var song = new ByteArrayContent(BatchForms.Song(1));
        (await client.PostAsync(new Uri("/classify", UriKind.Relative), song)).EnsureSuccessStatusCode();

        string text = string.Empty;
        for (int attempt = 0; attempt < 20 && !text.Contains("music_songs_succeeded", StringComparison.Ordinal); attempt++)
        {
            text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            await Task.Delay(100);
        }

        StringAssert.Contains(text, "music_songs_succeeded");
        StringAssert.Contains(text, "music_stage_duration_seconds_bucket");
        StringAssert.Contains(text, "http_server_request_duration_seconds");
        StringAssert.Contains(text, "dotnet_gc_collections");
    }

    [TestMethod]
    public async Task The_openapi_document_lists_every_endpoint_with_its_problems()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        JsonElement document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        JsonElement paths = document.GetProperty("paths");
        foreach (string path in new[] { "/classify", "/classify/batch", "/performance", "/model_info", "/health/live", "/health/ready", "/metrics", "/jobs", "/jobs/{id}" })
        {
            Assert.IsTrue(paths.TryGetProperty(path, out _), $"{path} is in the document");
        }

        JsonElement batch = paths.GetProperty("/classify/batch").GetProperty("post");
        Assert.IsTrue(batch.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        Assert.IsTrue(batch.GetProperty("responses").TryGetProperty("429", out _));
        Assert.IsTrue(paths.GetProperty("/classify").GetProperty("post").GetProperty("responses").TryGetProperty("413", out _));
    }

    [TestMethod]
    public async Task Outside_development_the_interactive_reference_is_served_only_when_configured()
    {
        await using var plain = new HostApplication();
        await using var shown = new HostApplication();
        plain.Settings["environment"] = "Production";
        shown.Settings["environment"] = "Production";
        shown.Settings["OpenApi:ShowReference"] = "true";
        using HttpClient off = plain.CreateClient();
        using HttpClient on = shown.CreateClient();

        HttpResponseMessage hidden = await off.GetAsync(new Uri("/docs", UriKind.Relative));
        HttpResponseMessage page = await on.GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, page.StatusCode);
        StringAssert.Contains(await page.Content.ReadAsStringAsync(), "openapi/v1.json");
    }
}
