using System.Net;
using System.Net.Sockets;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MusicClassification.Host.Tests;

[TestClass]
public sealed class BatchEndpointTests
{
    private static readonly Uri Batch = new("/classify/batch", UriKind.Relative);

    [TestMethod]
    public async Task A_batch_of_200_with_broken_parts_gets_200_results_and_the_right_counts()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using MultipartFormDataContent form = BatchForms.Form(200, brokenEvery: 10);
        HttpResponseMessage response = await client.PostAsync(Batch, form);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        JsonElement json = await response.Content.ReadFromJsonAsync<JsonElement>();
        JsonElement summary = json.GetProperty("summary");
        Assert.AreEqual(200, summary.GetProperty("total").GetInt32());
        Assert.AreEqual(180, summary.GetProperty("succeeded").GetInt32());
        Assert.AreEqual(20, summary.GetProperty("failed").GetInt32());
        Assert.AreEqual(20, summary.GetProperty("failures").GetProperty("unsupported_format").GetInt32());
        JsonElement[] results = [.. json.GetProperty("results").EnumerateArray()];
        Assert.HasCount(200, results);
        for (int i = 0; i < 200; i++)
        {
            Assert.AreEqual(i, results[i].GetProperty("index").GetInt32());
            Assert.AreEqual($"song-{i:D4}.wav", results[i].GetProperty("id").GetString());
            string expected = i % 10 == 9 ? "failed" : "succeeded";
            Assert.AreEqual(expected, results[i].GetProperty("status").GetString(), results[i].ToString());
        }

        Assert.AreEqual(0, await app.TempFileCountWhenSettledAsync());
    }

    [TestMethod]
    public async Task Ndjson_lines_arrive_while_the_upload_is_still_going()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();

        // A raw HTTP/1.1 client: the form is sent in chunks, and the rest only once the first result has been read.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        using NetworkStream stream = tcp.GetStream();
        await RawHttp.WriteAsync(stream, "POST /classify/batch HTTP/1.1\r\nHost: localhost\r\nAccept: application/x-ndjson\r\n" +
            $"Content-Type: multipart/form-data; boundary={RawHttp.Boundary}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        // A part ends where the next boundary begins, so the next boundary line goes out with the first song.
        byte[] second = RawHttp.Part(1);
        int boundaryLine = RawHttp.Boundary.Length + 4;
        await RawHttp.WriteChunkAsync(stream, [.. RawHttp.Part(0), .. second.AsSpan(0, boundaryLine)]);
        string early = await RawHttp.ReadUntilAsync(stream, "song-0.wav", TimeSpan.FromSeconds(60));
        StringAssert.Contains(early, "application/x-ndjson");

        await RawHttp.WriteChunkAsync(stream, second[boundaryLine..]);
        for (int i = 2; i < 4; i++)
        {
            await RawHttp.WriteChunkAsync(stream, RawHttp.Part(i));
        }

        await RawHttp.WriteChunkAsync(stream, System.Text.Encoding.ASCII.GetBytes($"--{RawHttp.Boundary}--\r\n"));
        await RawHttp.WriteAsync(stream, "0\r\n\r\n");
        string all = early + await RawHttp.ReadToEndAsync(stream, TimeSpan.FromSeconds(60));

        Assert.AreEqual(4, RawHttp.Count(all, "\"status\":\"succeeded\""), all);
        StringAssert.Contains(all, "{\"summary\":{\"total\":4,\"succeeded\":4,\"failed\":0");
    }

    [TestMethod]
    public async Task A_client_that_aborts_mid_upload_leaves_no_file_and_the_service_keeps_serving()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();
        for (int abort = 0; abort < 5; abort++)
        {
            using var client = new HttpClient { BaseAddress = address };
            var neverEnds = new TaskCompletionSource();
            using var body = new HeldBackForm(neverEnds.Task);
            using var cancel = new CancellationTokenSource();
            Task<HttpResponseMessage> sending = client.PostAsync(Batch, body, cancel.Token);
            await body.FirstPartOnServerAsync();
            await cancel.CancelAsync();
            await Assert.ThrowsAsync<OperationCanceledException>(() => sending);

            // And a single-song upload cut off halfway: the socket closes with the declared length unsent.
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(address.Host, address.Port);
            NetworkStream stream = tcp.GetStream();
            await RawHttp.WriteAsync(stream, "POST /classify HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n");
            await stream.WriteAsync(new byte[20_000]);
            await Task.Delay(200);
        }

        Assert.AreEqual(0, await app.TempFileCountWhenSettledAsync(), "an aborted batch leaves no spool file");
        var errors = app.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).ToList();
        Assert.IsEmpty(errors, "a client's disconnect is not a server error: " + string.Join(" | ", errors.Select(e => e.Message)));
        using var again = new HttpClient { BaseAddress = address };
        using MultipartFormDataContent form = BatchForms.Form(3);
        HttpResponseMessage response = await again.PostAsync(Batch, form);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    public async Task Parts_over_the_song_limit_get_rejected_results_and_an_oversized_part_fails_alone()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxSongsPerBatch"] = "3";
        app.Settings["Limits:MaxUploadBytes"] = "30000";
        using HttpClient client = app.CreateClient();

        using MultipartFormDataContent form = BatchForms.Form(4);
        form.Add(new ByteArrayContent(BatchForms.Song(1, seconds: 2)), "file", "big.wav");
        JsonElement json = await (await client.PostAsync(Batch, form)).Content.ReadFromJsonAsync<JsonElement>();

        JsonElement summary = json.GetProperty("summary");
        Assert.AreEqual(5, summary.GetProperty("total").GetInt32(), json.ToString());
        Assert.AreEqual(3, summary.GetProperty("succeeded").GetInt32(), json.ToString());
        Assert.AreEqual(2, summary.GetProperty("failures").GetProperty("rejected").GetInt32(), json.ToString());
        Assert.AreEqual(3, json.GetProperty("results").GetArrayLength(), "Parts past the limit are counted, not given a result each.");
    }

    [TestMethod]
    public async Task Twenty_thousand_tiny_parts_past_the_limit_cost_a_count_not_a_result_each()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxSongsPerBatch"] = "3";
        using HttpClient client = app.CreateClient();
        var body = new System.Text.StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            body.Append($"--{RawHttp.Boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"t{i}.wav\"\r\n\r\nx\r\n");
        }

        body.Append($"--{RawHttp.Boundary}--\r\n");
        using var content = new StringContent(body.ToString());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={RawHttp.Boundary}");

        HttpResponseMessage response = await client.PostAsync(Batch, content);

        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        Assert.IsLessThan(10_000, text.Length, "The answer grew with the parts past the limit.");
        JsonElement summary = JsonDocument.Parse(text).RootElement.GetProperty("summary");
        Assert.AreEqual(20_000, summary.GetProperty("total").GetInt32());
        Assert.AreEqual(19_997, summary.GetProperty("failures").GetProperty("rejected").GetInt32());
    }

    [TestMethod]
    public async Task Duplicate_and_hostile_file_names_become_unique_harmless_ids()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(BatchForms.Song(1)), "file", "a.wav" },
            { new ByteArrayContent(BatchForms.Song(2)), "file", "a.wav" },
            { new ByteArrayContent(BatchForms.Song(3)), "file", "../../etc/passwd" },
        };
        JsonElement json = await (await client.PostAsync(Batch, form)).Content.ReadFromJsonAsync<JsonElement>();

        string?[] ids = [.. json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString())];
        CollectionAssert.AreEqual(new[] { "a.wav", "a.wav (2)", "passwd" }, ids);
    }

    [TestMethod]
    public async Task A_client_over_its_concurrent_batches_gets_429_with_retry_after()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxConcurrentBatchesPerClient"] = "1";
        Uri address = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };
        var release = new TaskCompletionSource();
        using var held = new HeldBackForm(release.Task);
        Task<HttpResponseMessage> first = client.PostAsync(Batch, held);
        await held.FirstPartOnServerAsync();
        using MultipartFormDataContent second = BatchForms.Form(1);
        HttpResponseMessage refused = await client.PostAsync(Batch, second);
        release.SetResult();
        using HttpResponseMessage done = await first;

        Assert.AreEqual(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.IsNotNull(refused.Headers.RetryAfter);
        JsonElement problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("too_many_batches", problem.GetProperty("code").GetString());
        Assert.AreEqual(HttpStatusCode.OK, done.StatusCode);
    }

    [TestMethod]
    public async Task A_raw_body_is_not_a_batch()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        HttpResponseMessage response = await client.PostAsync(Batch, new ByteArrayContent(BatchForms.Song(1)));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual("invalid_multipart", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
