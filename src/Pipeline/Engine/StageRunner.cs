using Microsoft.Extensions.Logging;
using MusicClassification.Diagnostics;
using MusicClassification.Scheduling;

namespace MusicClassification.Engine;

/// <summary>
/// Runs one stage's work for one song with the single try/catch every block delegate needs: known failures become the
/// song's <see cref="SongError"/>, cancellation becomes <c>timeout</c> or <c>cancelled</c>, running out of memory a
/// second try once no other song is working and then <c>insufficient_memory</c>, anything else <c>internal_error</c>.
/// The song's deadline clock runs only inside the body. No exception ever leaves, so no block ever faults and no
/// neighbour is lost.
/// </summary>
internal sealed class StageRunner(TimeProvider time, WorkClock clock, ILogger logger)
{
    private static readonly TimeSpan AloneWait = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan AlonePoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs <paramref name="body"/> unless the song already failed. Returns its value, or <see langword="default"/> after
    /// recording a failure. A body that ignores cancellation is abandoned at the deadline; whatever it later returns is
    /// disposed, and <paramref name="release"/> is disposed only once the body has really finished with it.
    /// </summary>
    public async Task<T?> RunAsync<TState, T>(
        SongWork work,
        PipelineStage stage,
        TState state,
        Func<SongWork, TState, CancellationToken, ValueTask<T>> body,
        IDisposable? release = null)
        where T : class
    {
        if (work.IsFailed)
        {
            release?.Dispose();
            return null;
        }

        KeyValuePair<string, object?> tag = PipelineMetrics.Tag(stage);
        long start = time.GetTimestamp();
        PipelineMetrics.WorkersBusy.Add(1, tag);
        using System.Diagnostics.Activity? span = PipelineTracing.StartStage(work.Trace, stage);
        Task<T>? task = null;
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    using (work.Working())
                    {
                        // Set here, it flows into the body (and the threads it starts) and ends with this call.
                        SongTurn.Current = work.Turn;
                        work.Token.ThrowIfCancellationRequested();
                        task = body(work, state, work.Token).AsTask();
                        return await task.WaitAsync(work.Token).ConfigureAwait(false);
                    }
                }
                catch (OutOfMemoryException) when (attempt == 0)
                {
                    if (!await AloneAsync(work).ConfigureAwait(false))
                    {
                        // Cancelled or timed out while it waited: that is the song's verdict, not the memory.
                        work.Token.ThrowIfCancellationRequested();
                        throw;
                    }

                    // Memory ran out despite the budget (a song far from the estimate, or the rest of the process): the
                    // song waited until no other song was working, the heap is compacted, and it tries once more.
                    Log.SongRetriedForMemory(logger, work.Input.Id, stage);
                    task = null;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                }
            }
        }
        catch (Exception ex)
        {
            work.Fail(ToError(ex, work, stage));
            PipelineTracing.Failed(span, work.Error?.Code);
            if (task is { IsCompleted: false })
            {
                Log.StageIgnoredCancellation(logger, work.Input.Id, stage);
                _ = CleanUpWhenFinishedAsync(task, release);
                release = null;
            }

            return null;
        }
        finally
        {
            release?.Dispose();
            TimeSpan elapsed = time.GetElapsedTime(start);
            work.RecordStage(stage, elapsed);
            PipelineMetrics.StageDuration.Record(elapsed.TotalSeconds, tag);
            PipelineMetrics.WorkersBusy.Add(-1, tag);
        }
    }

    /// <summary>
    /// Waits (not counted as work) until no song is inside a stage, for at most <see cref="AloneWait"/>; true when it got
    /// there. Bounded and lock-free: songs that hold memory but have not started cannot keep it waiting forever.
    /// </summary>
    private async Task<bool> AloneAsync(SongWork work)
    {
        long start = time.GetTimestamp();
        try
        {
            while (clock.Working > 0)
            {
                if (time.GetElapsedTime(start) > AloneWait)
                {
                    return false;
                }

                await Task.Delay(AlonePoll, time, work.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task CleanUpWhenFinishedAsync<T>(Task<T> abandoned, IDisposable? release)
    {
        try
        {
            (await abandoned.ConfigureAwait(false) as IDisposable)?.Dispose();
        }
        catch (Exception)
        {
            // The song already has its result; a late failure of abandoned work has nobody to report to.
        }
        finally
        {
            release?.Dispose();
        }
    }

    private SongError ToError(Exception exception, SongWork work, PipelineStage stage)
    {
        SongError error;
        string? detail = null;
        switch (exception)
        {
            case SongFailureException failure:
                error = new SongError(failure.Code, failure.Message);
                detail = failure.Detail;
                break;
            case OutOfMemoryException:
                error = new SongError(SongErrorCode.InsufficientMemory, $"The song needed more memory than this instance has, even alone (it was in {Name(stage)}); a shorter analysis window or a larger instance would take it.");
                break;
            case OperationCanceledException when work.Token.IsCancellationRequested:
                SongErrorCode code = work.CancellationCode();
                error = new SongError(code, code == SongErrorCode.Timeout
                    ? $"The song did not finish within the per-song timeout (it was in {Name(stage)})."
                    : $"The batch was cancelled while the song was in {Name(stage)}.");
                break;
            default:
                Log.UnexpectedStageError(logger, work.Input.Id, stage, exception);
                // The exception's own message may hold paths or addresses: it goes to the log above, not to the caller.
                error = new SongError(SongErrorCode.Internal, $"Unexpected {exception.GetType().Name} in {Name(stage)}; the service log has the details.");
                break;
        }

        Log.SongFailed(logger, work.Input.Id, stage, error.Code.ToWireName(), error.Message, detail);
        return error;
    }

    private static string Name(PipelineStage stage) => stage switch
    {
        PipelineStage.Decode => "decode",
        PipelineStage.Features => "features",
        _ => "classify",
    };
}
