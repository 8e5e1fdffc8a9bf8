using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
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

    [TestMethod]
    public async Task A_jobs_songs_run_in_the_uploads_trace_from_the_send_through_the_worker_to_the_stored_result()
    {
        var exported = new List<Activity>();
        await using var app = new HostApplication { ExtraServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)) };
        using HttpClient client = app.CreateClient();
        using MultipartFormDataContent form = BatchForms.Form(2);

        HttpResponseMessage created = await client.PostAsync(new Uri("/jobs", UriKind.Relative), form);
        Assert.AreEqual(HttpStatusCode.Accepted, created.StatusCode, await created.Content.ReadAsStringAsync());
        await JobTests.WaitForStateAsync(client, created.Headers.Location!, "completed");
        Activity[] spans = await WhenExportedAsync(exported, 2, s => s.OperationName == "result store");

        Activity[] sends = spans.Where(s => s.OperationName == "song send").ToArray();
        Assert.HasCount(2, sends);
        Activity upload = spans.Single(s => s.SpanId == sends[0].ParentSpanId);
        Assert.AreEqual(ActivityKind.Server, upload.Kind, "each song is sent in the upload's request span's trace");
        foreach (Activity send in sends)
        {
            Assert.AreEqual(upload.SpanId, send.ParentSpanId);
            Activity receive = spans.Single(s => s.OperationName == "song receive" && s.ParentSpanId == send.SpanId);
            Assert.AreEqual(ActivityKind.Consumer, receive.Kind);
            Activity song = spans.Single(s => s.OperationName == PipelineInstruments.SongSpan && s.ParentSpanId == receive.SpanId);
            Assert.IsNotEmpty(spans.Where(s => s.ParentSpanId == song.SpanId).ToArray(), "the pipeline's stages are the song span's children");
            Assert.ContainsSingle(spans.Where(s => s.OperationName == "result store" && s.ParentSpanId == receive.SpanId).ToArray());
            Assert.AreEqual(upload.TraceId, receive.TraceId, "the analysis runs in the upload's trace, after its request has ended");
        }
    }

    private static async Task<Activity[]> WhenExportedAsync(List<Activity> exported, int count, Func<Activity, bool>? which = null)
    {
        // The request's span ends after the response is written; the exporter gets it a moment later.
        for (int attempt = 0; attempt < 100; attempt++)
        {
            lock (exported)
            {
                if (exported.Count(which ?? (_ => true)) >= count)
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
