using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MusicClassification.Diagnostics;

namespace MusicClassification.Tests;

[TestClass]
[DoNotParallelize]
public sealed class PipelineMetricsTests
{
    [TestMethod]
    public async Task Songs_stages_and_failures_are_measured()
    {
        var measurements = new ConcurrentBag<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PipelineInstruments.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.Start();

        await using (var pipeline = MusicClassificationPipeline.Create(new PipelineOptions()))
        {
            await TestPipelines.CollectAsync(pipeline.ClassifyAsync([SongFactory.Good("m-good"), SongFactory.Corrupt("m-bad")]));
        }

        Assert.IsGreaterThanOrEqualTo(2, measurements.Where(m => m.Name == PipelineInstruments.SongsStarted).Sum(m => m.Value));
        Assert.IsGreaterThanOrEqualTo(1, measurements.Where(m => m.Name == PipelineInstruments.SongsSucceeded).Sum(m => m.Value));
        Assert.IsTrue(measurements.Any(m => m.Name == PipelineInstruments.SongsFailed
            && Equals(m.Tags[PipelineInstruments.ErrorCodeTag], "corrupt_audio")));
        Assert.IsTrue(measurements.Any(m => m.Name == PipelineInstruments.StageDuration && Equals(m.Tags[PipelineInstruments.StageTag], "decode")));
        Assert.IsTrue(measurements.Any(m => m.Name == PipelineInstruments.StageDuration && Equals(m.Tags[PipelineInstruments.StageTag], "features")));
        Assert.IsGreaterThan(0, measurements.Where(m => m.Name == PipelineInstruments.AudioProcessed).Sum(m => m.Value));
        Assert.AreEqual(2, measurements.Count(m => m.Name == PipelineInstruments.SongDuration), "one end-to-end duration per song");
        Assert.IsTrue(measurements.Any(m => m.Name == PipelineInstruments.SongDuration && Equals(m.Tags[PipelineInstruments.StatusTag], "failed")));

        // Every up-down counter is back where it started once the batch is over: nothing is left "in flight" or "busy".
        Assert.AreEqual(0, measurements.Where(m => m.Name == PipelineInstruments.SongsInFlight).Sum(m => m.Value));
        Assert.AreEqual(0, measurements.Where(m => m.Name == PipelineInstruments.QueueDepth).Sum(m => m.Value));
        foreach (string stage in new[] { "decode", "features", "classify" })
        {
            Assert.AreEqual(0, measurements.Where(m => m.Name == PipelineInstruments.WorkersBusy && Equals(m.Tags[PipelineInstruments.StageTag], stage)).Sum(m => m.Value), stage);
        }

        Assert.IsTrue(measurements.Any(m => m.Name == PipelineInstruments.WorkersBusy && m.Value > 0), "workers were counted busy while they worked");
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        return dictionary;
    }
}
