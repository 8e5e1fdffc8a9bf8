using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MusicClassification.Engine;

namespace MusicClassification;

/// <summary>The streaming batch calls.</summary>
public sealed partial class MusicClassificationPipeline
{
    /// <summary>
    /// Classifies a batch and streams one result per song, in completion order by default
    /// (<see cref="PipelineOptions.ResultOrder"/>). The songs are taken lazily: at most
    /// <see cref="PipelineOptions.BoundedCapacity"/> are admitted and not yet read back, so a slow reader slows admission
    /// instead of growing memory.
    /// </summary>
    /// <param name="songs">The songs; enumerated once, on a pipeline task.</param>
    /// <param name="progress">Receives counts after each result; optional.</param>
    /// <param name="cancellationToken">
    /// Cancels the batch: no more songs are taken, and every song already taken still gets a result (<c>cancelled</c>
    /// unless it had already finished), after which the sequence ends normally.
    /// </param>
    /// <returns>The results, one per song taken from <paramref name="songs"/>.</returns>
    /// <exception cref="ObjectDisposedException">The pipeline has been disposed.</exception>
    public IAsyncEnumerable<SongResult> ClassifyAsync(
        IEnumerable<SongInput> songs, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(songs);
        return ClassifyAsync(ToAsyncEnumerable(songs), progress, cancellationToken);
    }

    /// <summary>
    /// Classifies a batch arriving as an asynchronous sequence (for example uploads still being received) and streams one
    /// result per song. Behaves as the <see cref="IEnumerable{T}"/> overload.
    /// </summary>
    /// <param name="songs">The songs; enumerated once, on a pipeline task.</param>
    /// <param name="progress">Receives counts after each result; optional.</param>
    /// <param name="cancellationToken">Cancels the batch; songs already taken complete as <c>cancelled</c>.</param>
    /// <returns>The results, one per song taken from <paramref name="songs"/>.</returns>
    /// <exception cref="ObjectDisposedException">The pipeline has been disposed.</exception>
    public IAsyncEnumerable<SongResult> ClassifyAsync(
        IAsyncEnumerable<SongInput> songs, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(songs);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return RunBatchAsync(songs, progress, SongPriority.Batch, cancellationToken, default);
    }

    private async IAsyncEnumerable<SongResult> RunBatchAsync(
        IAsyncEnumerable<SongInput> songs,
        IProgress<BatchProgress>? progress,
        SongPriority priority,
        CancellationToken cancellationToken,
        [EnumeratorCancellation] CancellationToken enumeratorToken)
    {
        using var lane = new BatchLane(_options.BoundedCapacity, _mapper, _shutdown.Token, cancellationToken, enumeratorToken, priority);
        FairDispatcher dispatcher = priority == SongPriority.Interactive ? _interactiveDispatcher : _dispatcher;
        dispatcher.Register(lane);
        Task submission = Task.Run(() => SubmitAsync(lane, dispatcher, songs), CancellationToken.None);
        var sequencer = new ResultSequencer(_options.ResultOrder);
        int completed = 0;
        int failed = 0;
        try
        {
            while (await lane.Results.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (lane.Results.TryRead(out SongResult? arrived))
                {
                    foreach (SongResult result in sequencer.Accept(arrived))
                    {
                        completed++;
                        failed += result.Succeeded ? 0 : 1;
                        progress?.Report(new BatchProgress(lane.Submitted, completed, failed, lane.SubmissionComplete));
                        lane.ReleaseSlot();
                        yield return result;
                    }
                }
            }
        }
        finally
        {
            lane.Abandon();
            await submission.ConfigureAwait(false);
            await lane.Drained.ConfigureAwait(false);
            dispatcher.Unregister(lane);
        }

        lane.SourceError?.Throw();
    }

    private async Task SubmitAsync(BatchLane lane, FairDispatcher dispatcher, IAsyncEnumerable<SongInput> songs)
    {
        int index = 0;
        try
        {
            IAsyncEnumerator<SongInput> enumerator = songs.GetAsyncEnumerator(lane.Token);
            await using (enumerator.ConfigureAwait(false))
            {
                while (!lane.Token.IsCancellationRequested && await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    SongInput song = enumerator.Current
                        ?? throw new ArgumentException($"The batch contains a null song at position {index}.", nameof(songs));
                    var work = new SongWork(song, index++, lane, _components.Time.GetTimestamp());
                    if (!await lane.AdmitAsync(work).ConfigureAwait(false))
                    {
                        break;
                    }

                    dispatcher.Signal();
                }
            }
        }
        catch (OperationCanceledException) when (lane.IsCancellationRequested)
        {
            // The caller's sequence observed the batch's cancellation; songs already taken still get their results.
        }
        catch (Exception ex)
        {
            lane.SourceError = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            lane.CompleteSubmission();
        }
    }

    private static async IAsyncEnumerable<SongInput> ToAsyncEnumerable(IEnumerable<SongInput> songs)
    {
        foreach (SongInput song in songs)
        {
            yield return song;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
