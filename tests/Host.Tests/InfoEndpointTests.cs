using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Host.Tests;

[TestClass]
public sealed class InfoEndpointTests
{
    [TestMethod]
    public async Task Model_info_shows_the_pipeline_settings_and_the_ffmpeg_version()
    {
        await using var app = new HostApplication();
        app.Settings["Pipeline:MaxDegreeOfParallelism"] = "3";
        using HttpClient client = app.CreateClient();

        HttpResponseMessage response = await client.GetAsync(new Uri("/model_info", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(3, json.GetProperty("pipeline").GetProperty("maxDegreeOfParallelism").GetInt32());
        Assert.AreEqual(1000, json.GetProperty("limits").GetProperty("maxSongsPerBatch").GetInt32(), "clients split their library by it");
        JsonElement decoders = json.GetProperty("decoders");
        Assert.IsTrue(decoders.GetProperty("ffmpegAvailable").GetBoolean(), "The test command installs FFmpeg.");
        Assert.IsFalse(string.IsNullOrEmpty(decoders.GetProperty("ffmpegVersion").GetString()));
        JsonElement genre = json.GetProperty("models")[0];
        Assert.AreEqual("gtzan-genre-mlp-krr", genre.GetProperty("name").GetString());
        Assert.AreEqual(10, genre.GetProperty("labels").GetArrayLength());
    }

    [TestMethod]
    public async Task Model_info_says_ffmpeg_is_missing_without_naming_its_path()
    {
        await using var app = new HostApplication();
        app.Settings["Pipeline:Decoding:FfmpegPath"] = "/nonexistent/ffmpeg";
        using HttpClient client = app.CreateClient();

        JsonElement json = await client.GetFromJsonAsync<JsonElement>(new Uri("/model_info", UriKind.Relative));

        JsonElement decoders = json.GetProperty("decoders");
        Assert.IsFalse(decoders.GetProperty("ffmpegAvailable").GetBoolean());
        Assert.IsFalse(decoders.TryGetProperty("problem", out _), "the reason and the path are for the log");
        Assert.IsFalse(decoders.TryGetProperty("ffmpegPath", out _));
    }

    [TestMethod]
    [TestCategory(TestCategories.Ffmpeg)]
    public async Task With_pipeline_models_path_the_service_lists_and_runs_the_musicnn_models()
    {
        await using var app = new HostApplication();
        app.Settings["MusiCnn:ModelsPath"] = MusicClassification.Tests.TestAudio.TestData.ModelsDirectory();
        using HttpClient client = app.CreateClient();

        JsonElement info = await client.GetFromJsonAsync<JsonElement>(new Uri("/model_info", UriKind.Relative));
        using var song = new ByteArrayContent(await File.ReadAllBytesAsync(MusicClassification.Tests.TestAudio.TestData.Clip("singularity-nebula-30s")));
        HttpResponseMessage response = await client.PostAsync(new Uri("/classify", UriKind.Relative), song);

        Assert.AreEqual(7, info.GetProperty("models").GetArrayLength());
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        JsonElement result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(50, result.GetProperty("tags").GetArrayLength());
        Assert.AreEqual(4, result.GetProperty("moods").GetArrayLength());
        Assert.IsFalse(string.IsNullOrEmpty(result.GetProperty("genre").GetString()));
    }
}
