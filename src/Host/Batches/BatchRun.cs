using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MusicClassification.Host.Problems;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Batches;

/// <summary>
/// One <c>POST /classify/batch</c> from upload to last result: the upload feeds the analyzer (this process's pipeline, or
/// the workers behind the broker) while it arrives, and
/// results go out as JSON at the end or, for <c>Accept: application/x-ndjson</c>, one line per song as it completes and a
/// summary line. A client that disconnects cancels its remaining songs; a stopping host ends them as <c>cancelled</c>
/// results. No spool file outlives the request.
/// </summary>
internal sealed partial class BatchRun(BatchUpload upload, IDisposable admission, bool includeFeatures) : IResult
{
    public const string NdjsonMediaType = "application/x-ndjson";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using IDisposable lease = admission;
        IServiceProvider services = httpContext.RequestServices;
        HostLimitsOptions limits = services.GetRequiredService<IOptions<HostLimitsOptions>>().Value;
        TimeSpan writeTimeout = limits.ResponseWriteTimeout;

        // A client may read its results only after it has sent the whole batch (HttpClient over HTTP/1.1 does), so results
        // written meanwhile must be allowed to wait: Kestrel's response rate check is replaced by a write deadline that
        // starts once the upload is complete.
        if (httpContext.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinResponseDataRateFeature>() is { } responseRate)
        {
            responseRate.MinDataRate = null;
        }

        var analyzer = services.GetRequiredService<Analysis.ISongAnalyzer>();
        JsonSerializerOptions json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        ILogger logger = services.GetRequiredService<ILogger<BatchRun>>();
        CancellationToken stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var batch = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);

        var songs = Channel.CreateBounded<Analysis.SpooledSong>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var results = Channel.CreateUnbounded<SongResult>(new UnboundedChannelOptions { SingleReader = true });
        TimeSpan grace = services.GetRequiredService<IOptions<Jobs.JobOptions>>().Value.ShutdownGracePeriod;
        Task receiving = upload.ReceiveAsync(songs.Writer, results.Writer, new ShutdownReading(grace, stopping), httpContext.RequestAborted);
        Task analysing = AnalyseAsync(analyzer, songs.Reader, results.Writer, receiving, batch.Token);
        var counts = new BatchCounts();
        try
        {
            bool ndjson = httpContext.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(NdjsonMediaType, StringComparison.OrdinalIgnoreCase));
            List<SongResult>? collected = ndjson ? null : [];
            await foreach (SongResult result in results.Reader.ReadAllAsync(CancellationToken.None))
            {
                SongResult shown = result.Shown(includeFeatures);
                counts.Add(shown);
                if (collected is not null)
                {
                    collected.Add(shown);
                }
                else if (!httpContext.RequestAborted.IsCancellationRequested)
                {
                    await WriteLineAsync(httpContext, shown, json, receiving.IsCompleted ? writeTimeout : Timeout.InfiniteTimeSpan, httpContext.RequestAborted);
                }
            }

            await analysing;
            counts.AddRejected(upload.ExcessParts);
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                LogClientGone(logger, counts.Total);
                return;
            }

            if (counts.Total == 0)
            {
                await HostProblems.WriteAsync(httpContext, HostProblems.WithRetryAfter(httpContext, upload.Error ?? HostProblems.NoSong(), limits.BusyRetryAfterSeconds));
                return;
            }

            bool fingerprinting = services.GetRequiredService<MusicClassificationPipeline>().Options.Features.Fingerprint;
            BatchSummary summary = counts.Summary(upload.Error, fingerprinting);
            if (collected is null)
            {
                await WriteLineAsync(httpContext, new BatchSummaryLine(summary), json, writeTimeout, CancellationToken.None);
            }
            else
            {
                collected.Sort((a, b) => a.Index.CompareTo(b.Index));
                httpContext.Response.ContentType = "application/json; charset=utf-8";
                await WriteAsync(httpContext, JsonSerializer.SerializeToUtf8Bytes(new BatchResponse(summary, collected), json), writeTimeout, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && httpContext.RequestAborted.IsCancellationRequested)
        {
            LogClientGone(logger, counts.Total);
        }
        catch (TimeoutException)
        {
            LogClientNotReading(logger, counts.Total);
            httpContext.Abort();
        }
        finally
        {
            await batch.CancelAsync();
            await Task.WhenAll(receiving, analysing).ContinueWith(static _ => { }, TaskScheduler.Default);
            upload.DeleteAll();
        }
    }

    private async Task AnalyseAsync(
        Analysis.ISongAnalyzer analyzer, ChannelReader<Analysis.SpooledSong> songs, ChannelWriter<SongResult> results, Task receiving, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (SongResult result in analyzer.ClassifyAsync(songs.ReadAllAsync(cancellationToken), cancellationToken))
            {
                results.TryWrite(upload.Finished(result));
            }

            // Upload failures are written by the receiving side; the results end once both sides are done.
            await receiving;

            // A song handed on that the analysis never took (it stopped first) still gets its one result.
            foreach (SongResult unanswered in upload.Unanswered())
            {
                results.TryWrite(unanswered);
            }
        }
        finally
        {
            results.TryComplete();
        }
    }

    private static async Task WriteLineAsync<T>(HttpContext context, T value, JsonSerializerOptions json, TimeSpan timeout, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        if (!response.HasStarted)
        {
            response.ContentType = NdjsonMediaType;
            response.Headers.CacheControl = "no-cache";
        }

        await WriteAsync(context, [.. JsonSerializer.SerializeToUtf8Bytes(value, json), (byte)'\n'], timeout, cancellationToken);
    }

    /// <summary>Writes and flushes within <paramref name="timeout"/>, else throws <see cref="TimeoutException"/> (the client is not reading).</summary>
    private static async Task WriteAsync(HttpContext context, byte[] bytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await response.Body.WriteAsync(bytes, deadline.Token);
            await response.Body.FlushAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("The client did not read its results.");
        }
    }

    [LoggerMessage(2, LogLevel.Information, "A batch client stopped reading its results after {Results}; the connection was dropped and its remaining songs cancelled")]
    private static partial void LogClientNotReading(ILogger logger, int results);

    [LoggerMessage(1, LogLevel.Information, "A batch client disconnected after {Results} results; its remaining songs were cancelled")]
    private static partial void LogClientGone(ILogger logger, int results);
}
