using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MusicClassification.Host.Tests;

/// <summary>Each limit the issue found missing answers with problem details and a stable code, never a 500.</summary>
[TestClass]
public sealed class LimitTests
{
    private static readonly Uri Classify = new("/classify", UriKind.Relative);

    [TestMethod]
    public async Task A_declared_length_over_the_limit_is_refused_before_100_continue()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxUploadBytes"] = "1048576";
        Uri address = app.StartKestrel();

        string answer = await RawHttp.HeadOnlyAsync(address, "POST /classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n" +
            "Content-Length: 104857600\r\nExpect: 100-continue\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 413", answer, answer);
        Assert.DoesNotContain("100 Continue", answer);
        StringAssert.Contains(answer, "\"code\":\"too_long\"");
        Assert.AreEqual(0, app.TempFileCount());
    }

    [TestMethod]
    public async Task A_batch_declaring_more_than_its_limit_is_refused_before_the_body()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxBatchBytes"] = "1000000";
        app.Settings["Limits:MaxUploadBytes"] = "100000";
        Uri address = app.StartKestrel();

        string answer = await RawHttp.HeadOnlyAsync(address, "POST /classify/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\n" +
            "Content-Length: 5000000000\r\nExpect: 100-continue\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 413", answer, answer);
        StringAssert.Contains(answer, "\"code\":\"request_too_large\"");
    }

    [TestMethod]
    public async Task A_multipart_content_type_over_a_raw_wav_gets_400_invalid_multipart()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        using var content = new ByteArrayContent(BatchForms.Song(1));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        await AssertProblemAsync(await client.PostAsync(Classify, content), HttpStatusCode.BadRequest, "invalid_multipart");
    }

    [TestMethod]
    public async Task A_20_kb_part_file_name_gets_400_invalid_multipart()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(BatchForms.Song(1)), "file", new string('a', 20_000) + ".wav" } };

        await AssertProblemAsync(await client.PostAsync(Classify, form), HttpStatusCode.BadRequest, "invalid_multipart");
    }

    [TestMethod]
    public async Task A_part_with_40_headers_gets_400_invalid_multipart()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        var part = new ByteArrayContent(BatchForms.Song(1));
        for (int i = 0; i < 40; i++)
        {
            part.Headers.Add($"X-Extra-{i}", "x");
        }

        using var form = new MultipartFormDataContent { { part, "file", "a.wav" } };

        await AssertProblemAsync(await client.PostAsync(Classify, form), HttpStatusCode.BadRequest, "invalid_multipart");
    }

    [TestMethod]
    public async Task A_huge_text_field_is_cut_off_with_413_field_too_large()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(new string('x', 1024 * 1024)), "note" },
            { new ByteArrayContent(BatchForms.Song(1)), "file", "a.wav" },
        };

        await AssertProblemAsync(await client.PostAsync(Classify, form), HttpStatusCode.RequestEntityTooLarge, "field_too_large");
    }

    [TestMethod]
    public async Task A_slow_but_steady_upload_is_cut_off_by_the_song_deadline()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:SongUploadTimeout"] = "00:00:02";
        app.Settings["Limits:MinUploadBytesPerSecond"] = "100";
        Uri address = app.StartKestrel();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        using NetworkStream stream = tcp.GetStream();
        byte[] song = BatchForms.Song(1);

        await RawHttp.WriteAsync(stream, $"POST /classify HTTP/1.1\r\nHost: localhost\r\nContent-Length: {song.Length}\r\n\r\n");
        Task<string> answer = RawHttp.ReadUntilAsync(stream, "}", TimeSpan.FromSeconds(30));
        for (int i = 0; i < 40 && !answer.IsCompleted; i++)
        {
            // 300 B/s: above Kestrel's minimum rate here, so only the whole-upload deadline can stop it.
            await stream.WriteAsync(song.AsMemory(i * 30, 30));
            await Task.Delay(100);
        }

        string text = await answer;
        Assert.StartsWith("HTTP/1.1 408", text, text);
        StringAssert.Contains(text, "\"code\":\"upload_timeout\"");
        Assert.AreEqual(0, await app.TempFileCountWhenSettledAsync());
    }

    [TestMethod]
    public async Task Responses_say_nosniff_and_do_not_announce_the_server()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };

        HttpResponseMessage response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.AreEqual("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.IsFalse(response.Headers.Contains("Server"));
    }

    [TestMethod]
    public async Task Over_the_rate_limit_a_client_gets_429_with_retry_after()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:RequestsPerMinutePerClient"] = "3";
        using HttpClient client = app.CreateClient();

        HttpResponseMessage[] responses = new HttpResponseMessage[5];
        for (int i = 0; i < responses.Length; i++)
        {
            responses[i] = await client.GetAsync(new Uri("/model_info", UriKind.Relative));
        }

        Assert.AreEqual(HttpStatusCode.OK, responses[0].StatusCode);
        HttpResponseMessage refused = responses[^1];
        Assert.IsNotNull(refused.Headers.RetryAfter);
        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.AreEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode, "health is not rate limited");
    }

    [TestMethod]
    public async Task A_full_spool_answers_503_server_busy_with_retry_after()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxSpoolBytes"] = "30000";
        app.Settings["Limits:MaxUploadBytes"] = "30000";
        Uri address = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };

        // A batch whose first song (22 KB) is on disk and whose form is held open fills most of the spool.
        var release = new TaskCompletionSource();
        using var held = new HeldBackForm(release.Task);
        Task<HttpResponseMessage> batch = client.PostAsync(new Uri("/classify/batch", UriKind.Relative), held);
        await held.FirstPartOnServerAsync();
        using var song = new ByteArrayContent(BatchForms.Song(2));
        HttpResponseMessage refused = await client.PostAsync(Classify, song);
        release.SetResult();
        using HttpResponseMessage done = await batch;

        Assert.IsNotNull(refused.Headers.RetryAfter);
        await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "server_busy");
        Assert.AreEqual(HttpStatusCode.OK, done.StatusCode, "the batch waits for room instead of failing");
        Assert.AreEqual(0, await app.TempFileCountWhenSettledAsync());
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, body);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, body);
        Assert.AreEqual(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString(), body);
    }
}
