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
}
