using Microsoft.Extensions.Logging;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MusicClassification.Host.Tests;

/// <summary>
/// Forms that stop inside a part while the request body itself is complete and well framed (the outside probe's
/// reproduction), and job uploads whose connection is reset: a coded answer for the cut part, the songs before it kept,
/// the summary last, and never a job made of half an upload.
/// </summary>
[TestClass]
public sealed class CutOffFormTests
{
    private static readonly byte[] CutPart = Encoding.ASCII.GetBytes(
        $"--{RawHttp.Boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.wav\"\r\n\r\nRIFFxxxx");

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("/classify")]
    [DataRow("/jobs")]
    public async Task A_form_that_ends_inside_its_only_part_gets_400_invalid_multipart(string path)
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        HttpResponseMessage response = await client.PostAsync(new Uri(path, UriKind.Relative), Form(CutPart), TestContext.CancellationToken);

        await LimitTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_multipart");
        Assert.AreEqual(0, await app.TempFileCountWhenSettledAsync());
        Assert.IsFalse(app.Logs.Any(LogLevel.Error), "An error was logged for a client's malformed form:\n" + app.Logs);
    }

    [TestMethod]
    public async Task A_batch_whose_form_ends_inside_its_only_part_answers_that_part_and_says_why()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        HttpResponseMessage response = await client.PostAsync(new Uri("/classify/batch", UriKind.Relative), Form(CutPart), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken);
        JsonElement only = json.GetProperty("results").EnumerateArray().Single();
        Assert.AreEqual("corrupt_audio", only.GetProperty("error").GetProperty("code").GetString());
        StringAssert.Contains(only.GetProperty("error").GetProperty("message").GetString(), "cut off");
        Assert.AreEqual("invalid_multipart", json.GetProperty("summary").GetProperty("uploadError").GetProperty("code").GetString());
        Assert.AreEqual(0, await app.TempFileCountWhenSettledAsync());
        Assert.IsFalse(app.Logs.Any(LogLevel.Error), app.Logs.ToString());
    }

    [TestMethod]
    public async Task A_batch_whose_form_ends_inside_its_second_part_keeps_the_first_song_and_ends_with_the_summary()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        HttpResponseMessage response = await client.PostAsync(new Uri("/classify/batch", UriKind.Relative), Form([.. RawHttp.Part(0), .. CutPart]), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        JsonElement json = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.CancellationToken);
        JsonElement[] results = [.. json.GetProperty("results").EnumerateArray()];
        Assert.HasCount(2, results);
        Assert.AreEqual("succeeded", results[0].GetProperty("status").GetString(), results[0].ToString());
        Assert.AreEqual("corrupt_audio", results[1].GetProperty("error").GetProperty("code").GetString());
        Assert.AreEqual("invalid_multipart", json.GetProperty("summary").GetProperty("uploadError").GetProperty("code").GetString(), json.GetProperty("summary").ToString());
    }

    [TestMethod]
    public async Task An_ndjson_batch_whose_form_ends_inside_a_part_still_ends_with_its_summary_line()
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();
        using HttpRequestMessage request = BatchForms.NdjsonBatch(Form([.. RawHttp.Part(0), .. CutPart]));

        HttpResponseMessage response = await client.SendAsync(request, TestContext.CancellationToken);
        string[] lines = (await response.Content.ReadAsStringAsync(TestContext.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.HasCount(3, lines, string.Join('\n', lines));
        StringAssert.StartsWith(lines[^1], "{\"summary\"");
        StringAssert.Contains(lines[^1], "invalid_multipart");
    }

    [TestMethod]
    public async Task A_job_upload_whose_connection_is_reset_midway_leaves_no_job()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();
        byte[] body = [.. Enumerable.Range(0, 9).SelectMany(RawHttp.Part), .. Encoding.ASCII.GetBytes($"--{RawHttp.Boundary}--\r\n")];

        using (var tcp = new TcpClient { LingerState = new LingerOption(true, 0) })
        {
            await tcp.ConnectAsync(address.Host, address.Port, TestContext.CancellationToken);
            NetworkStream stream = tcp.GetStream();
            await RawHttp.WriteAsync(stream, "POST /jobs HTTP/1.1\r\nHost: localhost\r\n" +
                $"Content-Type: multipart/form-data; boundary={RawHttp.Boundary}\r\nContent-Length: {body.Length}\r\n\r\n");
            await stream.WriteAsync(body.AsMemory(0, body.Length * 6 / 10), TestContext.CancellationToken);
            await stream.FlushAsync(TestContext.CancellationToken);
            await Task.Delay(500, TestContext.CancellationToken);

            // Linger 0: the close is a reset, as a phone losing its network mid-upload.
        }

        using var client = new HttpClient { BaseAddress = address };
        string spool = Path.Combine(app.DataDirectory, "spool");
        for (int attempt = 0; attempt < 50 && Directory.Exists(spool) && Directory.GetDirectories(spool).Length > 0; attempt++)
        {
            await Task.Delay(100, TestContext.CancellationToken);
        }

        JsonElement jobs = (await client.GetFromJsonAsync<JsonElement>(new Uri("/performance", UriKind.Relative), TestContext.CancellationToken)).GetProperty("jobs");
        Assert.AreEqual(0, jobs.GetProperty("byState").EnumerateObject().Sum(s => s.Value.GetInt32()), "A job was made of a reset upload.");
        Assert.IsEmpty(Directory.GetDirectories(spool), "The reset upload's folder is still there.");
    }

    private static ByteArrayContent Form(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={RawHttp.Boundary}");
        return content;
    }
}
