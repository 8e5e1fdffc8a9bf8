using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MusicClassification.Host.Tests;

/// <summary>The promises that need a running service: fairness between clients, and a clean end when the host stops.</summary>
[TestClass]
public sealed class ServiceBehaviourTests
{
    [TestMethod]
    public async Task A_single_song_is_answered_while_another_clients_big_batch_is_still_running()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(3) };
        using HttpRequestMessage request = BatchForms.NdjsonBatch(BatchForms.Form(120, name: "long", seconds: 4));
        using HttpResponseMessage batch = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var lines = new StreamReader(await batch.Content.ReadAsStreamAsync());
        int read = 0;
        await lines.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        read++;

        using var single = new ByteArrayContent(BatchForms.Song(7, seconds: 4));
        Task<HttpResponseMessage> answer = client.PostAsync(new Uri("/classify", UriKind.Relative), single);
        while (!answer.IsCompleted && await lines.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is not null)
        {
            read++;
        }

        int batchResultsWhenAnswered = read;
        while (await lines.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is not null)
        {
            read++;
        }

        Assert.AreEqual(HttpStatusCode.OK, (await answer).StatusCode);
        Assert.AreEqual(121, read, "120 results and the summary");
        Assert.IsLessThan(60, batchResultsWhenAnswered, $"the single song waited for {batchResultsWhenAnswered} of the batch's 120 songs");
    }

    [TestMethod]
    public async Task A_stopping_host_ends_a_running_batch_with_cancelled_results_and_a_summary()
    {
        await using var app = new HostApplication();
        Uri address = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        using HttpRequestMessage request = BatchForms.NdjsonBatch(BatchForms.Form(60, name: "long", seconds: 4));
        using HttpResponseMessage batch = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await batch.Content.ReadAsStreamAsync());
        var lines = new List<string> { (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))! };

        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            lines.Add(line);
        }

        JsonElement summary = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("summary");
        Assert.AreEqual(60, summary.GetProperty("total").GetInt32(), "every song has its result");
        Assert.IsGreaterThan(0, summary.GetProperty("failures").GetProperty("cancelled").GetInt32());
        Assert.HasCount(61, lines);
        Assert.AreEqual(0, await app.TempFileCountWhenSettledAsync());
    }

    [TestMethod]
    public async Task A_stopping_host_stops_reading_a_batch_still_arriving_after_its_grace_and_answers_with_the_summary()
    {
        const int GraceSeconds = 2;
        await using var app = new HostApplication();
        app.Settings["Jobs:ShutdownGracePeriod"] = $"00:00:0{GraceSeconds}";
        Uri address = app.StartKestrel();

        // A client that keeps sending, slowly but above Kestrel's minimum rate, a part that would take minutes to arrive.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        using System.Net.Sockets.NetworkStream stream = tcp.GetStream();
        await RawHttp.WriteAsync(stream, "POST /classify/batch HTTP/1.1\r\nHost: localhost\r\nAccept: application/x-ndjson\r\n" +
            $"Content-Type: multipart/form-data; boundary={RawHttp.Boundary}\r\nTransfer-Encoding: chunked\r\n\r\n");
        byte[] second = RawHttp.Part(1);
        await RawHttp.WriteChunkAsync(stream, [.. RawHttp.Part(0), .. second.AsSpan(0, 200)]);
        string answer = await RawHttp.ReadUntilAsync(stream, "song-0.wav", TimeSpan.FromSeconds(60));

        using var stopSending = new CancellationTokenSource();
        Task trickle = Task.Run(async () =>
        {
            try
            {
                while (!stopSending.IsCancellationRequested)
                {
                    await RawHttp.WriteChunkAsync(stream, new byte[4096]);
                    await Task.Delay(250, stopSending.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // Stopped, or the server closed the connection once it had answered.
            }
        });

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        answer += await RawHttp.ReadUntilAsync(stream, "\"summary\"", TimeSpan.FromSeconds(GraceSeconds + 15));
        if (!answer.EndsWith('\n'))
        {
            answer += await RawHttp.ReadUntilAsync(stream, "\n", TimeSpan.FromSeconds(5));
        }

        TimeSpan summaryAfter = stopped.Elapsed;
        await stopSending.CancelAsync();
        await trickle;

        StringAssert.Contains(answer, "\"summary\":{\"total\":2,", answer);
        StringAssert.Contains(answer, "\"code\":\"shutting_down\"", "the summary says why the upload was not read to its end");
        string secondSong = answer.Split('\n').Single(line => line.Contains("song-1.wav", StringComparison.Ordinal));
        StringAssert.Contains(secondSong, "\"code\":\"cancelled\"", "the song the client was still sending is cancelled");
        Assert.IsLessThan(TimeSpan.FromSeconds(GraceSeconds + 8), summaryAfter, "reading stopped after the grace period, not at the host's shutdown timeout");
        Assert.AreEqual(0, await app.TempFileCountWhenSettledAsync());
    }
}
