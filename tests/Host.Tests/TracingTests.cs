using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using MusicClassification.Diagnostics;
using OpenTelemetry.Trace;

namespace MusicClassification.Host.Tests;

/// <summary>One trace per request: the HTTP server span, the song's span under it and the stages' under the song's.</summary>
[TestClass]
[DoNotParallelize]
public sealed class TracingTests
{
    [TestMethod]
    public async Task A_classify_request_is_one_trace_from_the_request_to_each_stage()
    {
        var exported = new List<Activity>();
        await using var app = new HostApplication { ExtraServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)) };
        using HttpClient client = app.CreateClient();
        using var song = new ByteArrayContent(BatchForms.Song(3, seconds: 2));
        song.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");

        HttpResponseMessage response = await client.PostAsync(new Uri("/classify", UriKind.Relative), song);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        Activity[] spans = await WhenExportedAsync(exported, 5);

        Activity request = spans.Single(s => s.Kind == ActivityKind.Server);
        Activity songSpan = spans.Single(s => s.OperationName == PipelineInstruments.SongSpan);
        Assert.AreEqual(request.TraceId, songSpan.TraceId, "the song belongs to the request's trace");
        Assert.AreEqual(request.SpanId, songSpan.ParentSpanId);
        CollectionAssert.AreEqual(
            new[] { "classify", "decode", "features" },
            spans.Where(s => s.ParentSpanId == songSpan.SpanId).Select(s => s.OperationName).Order().ToArray());
    }

    private static async Task<Activity[]> WhenExportedAsync(List<Activity> exported, int count)
    {
        // The request's span ends after the response is written; the exporter gets it a moment later.
        for (int attempt = 0; attempt < 100; attempt++)
        {
            lock (exported)
            {
                if (exported.Count >= count)
                {
                    return [.. exported];
                }
            }

            await Task.Delay(50);
        }

        lock (exported)
        {
            Assert.Fail($"{exported.Count} spans exported: {string.Join(", ", exported.Select(s => s.OperationName))}");
            return [];
        }
    }
}
