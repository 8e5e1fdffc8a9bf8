using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MusicClassification.Host.Performance;

/// <summary>
/// Listens to the pipeline's own instruments (<see cref="PipelineInstruments"/>) and ASP.NET Core's request duration, and
/// keeps what <c>/performance</c> shows: totals, rates over the last 1 and 5 minutes, recent latency percentiles and the
/// current gauges. It adds no counters of its own to the pipeline; it only aggregates what the pipeline already reports.
/// </summary>
internal sealed class PerformanceMonitor : IHostedService, IDisposable
{
    private const string AspNetCoreHostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string RequestDuration = "http.server.request.duration";

    private readonly MeterListener _listener = new();
    private readonly IMeterFactory _meters;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _busy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LatencyWindow> _stages = new(StringComparer.Ordinal);
    private long _requests;
    private long _succeeded;
    private long _queueDepth;
    private long _inFlight;
    private ITimer? _sampler;
    private TimeSpan _lastCpu;

    public PerformanceMonitor(IMeterFactory meters, TimeProvider time)
    {
        _meters = meters;
        _time = time;
        Started = time.GetUtcNow();
        Requests = new RateWindow(time);
        Songs = new RateWindow(time);
        Audio = new RateWindow(time);
        Cpu = new RateWindow(time);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            bool ours = instrument.Meter.Name == PipelineInstruments.MeterName;
            bool requests = instrument.Meter.Name == AspNetCoreHostingMeter && instrument.Name == RequestDuration
                && ReferenceEquals(instrument.Meter.Scope, _meters);
            if (ours || requests)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
    }

    public DateTimeOffset Started { get; }

    public RateWindow Requests { get; }

    public RateWindow Songs { get; }

    public RateWindow Audio { get; }

    /// <summary>CPU seconds used per second of wall time.</summary>
    public RateWindow Cpu { get; }

    public long RequestsTotal => Interlocked.Read(ref _requests);

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public IReadOnlyDictionary<string, long> Failures => new SortedDictionary<string, long>(_failures, StringComparer.Ordinal);

    public long QueueDepth => Interlocked.Read(ref _queueDepth);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Busy(string stage) => _busy.GetValueOrDefault(stage);

    public LatencySummary Latency(string stage) => _stages.TryGetValue(stage, out LatencyWindow? window) ? window.Summarize() : new LatencySummary(0, null, null, null);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        _lastCpu = Environment.CpuUsage.TotalTime;
        _sampler = _time.CreateTimer(_ => SampleCpu(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _sampler?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _sampler?.Dispose();
        _listener.Dispose();
    }

    private void SampleCpu()
    {
        TimeSpan now = Environment.CpuUsage.TotalTime;
        Cpu.Add((now - _lastCpu).TotalSeconds);
        _lastCpu = now;
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case PipelineInstruments.SongsSucceeded:
                Interlocked.Add(ref _succeeded, value);
                Songs.Add(value);
                break;
            case PipelineInstruments.SongsFailed:
                _failures.AddOrUpdate(Tag(tags, PipelineInstruments.ErrorCodeTag), value, (_, old) => old + value);
                Songs.Add(value);
                break;
            case PipelineInstruments.WorkersBusy:
                _busy.AddOrUpdate(Tag(tags, PipelineInstruments.StageTag), value, (_, old) => old + value);
                break;
            case PipelineInstruments.QueueDepth:
                Interlocked.Add(ref _queueDepth, value);
                break;
            case PipelineInstruments.SongsInFlight:
                Interlocked.Add(ref _inFlight, value);
                break;
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case RequestDuration:
                Interlocked.Increment(ref _requests);
                Requests.Add(1);
                break;
            case PipelineInstruments.AudioProcessed:
                Audio.Add(value);
                break;
            case PipelineInstruments.StageDuration:
                _stages.GetOrAdd(Tag(tags, PipelineInstruments.StageTag), _ => new LatencyWindow()).Add(value);
                break;
            case PipelineInstruments.SongDuration:
                _stages.GetOrAdd("end_to_end", _ => new LatencyWindow()).Add(value);
                break;
        }
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "unknown";
            }
        }

        return "unknown";
    }
}
