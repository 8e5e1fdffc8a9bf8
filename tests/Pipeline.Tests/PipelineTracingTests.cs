using System.Collections.Concurrent;
using System.Diagnostics;
using MusicClassification.Diagnostics;

namespace MusicClassification.Tests;

/// <summary>A span per song under the caller's, a span per stage under the song's, failures marked.</summary>
[TestClass]
[DoNotParallelize]
public sealed class PipelineTracingTests
{
    [TestMethod]
    public async Task Each_song_is_a_span_under_the_callers_and_each_stage_a_span_under_the_songs()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PipelineInstruments.ActivitySourceName or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var testSource = new ActivitySource("test");

        await using (var pipeline = MusicClassificationPipeline.Create(new PipelineOptions()))
        {
            using Activity request = testSource.StartActivity("request")!;
            await TestPipelines.CollectAsync(pipeline.ClassifyAsync([SongFactory.Good("t-good"), SongFactory.Corrupt("t-bad")]));
            request.Stop();

            Activity[] songs = [.. spans.Where(s => s.Source.Name == PipelineInstruments.ActivitySourceName && s.OperationName == PipelineInstruments.SongSpan)
                .OrderBy(s => s.GetTagItem(PipelineInstruments.SongIndexTag))];
            Assert.HasCount(2, songs);
            Assert.IsTrue(songs.All(s => s.ParentSpanId == request.SpanId && s.TraceId == request.TraceId), "songs are siblings under the caller's span");

            Activity good = songs[0];
            Activity bad = songs[1];
            string[] goodStages = [.. spans.Where(s => s.ParentSpanId == good.SpanId).Select(s => s.OperationName).Order()];
            CollectionAssert.AreEqual(new[] { "classify", "decode", "features" }, goodStages);
            Assert.AreEqual(ActivityStatusCode.Unset, good.Status);
            Assert.AreEqual("succeeded", good.GetTagItem(PipelineInstruments.StatusTag));

            Assert.AreEqual(ActivityStatusCode.Error, bad.Status);
            Assert.AreEqual("corrupt_audio", bad.GetTagItem(PipelineInstruments.ErrorCodeTag));
            Activity failedStage = spans.Single(s => s.ParentSpanId == bad.SpanId);
            Assert.AreEqual("decode", failedStage.OperationName);
            Assert.AreEqual(ActivityStatusCode.Error, failedStage.Status);
        }
    }
}
