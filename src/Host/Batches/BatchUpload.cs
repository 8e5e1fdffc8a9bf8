using System.Threading.Channels;
using Microsoft.AspNetCore.Mvc;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Batches;

/// <summary>
/// The receiving half of a batch: hands each song of the form on as soon as it is on disk, so analysis overlaps the
/// upload, and each upload failure on as that song's result. Files stay registered until their song's result is out.
/// </summary>
internal sealed class BatchUpload(FormSongs form)
{
    private readonly Dictionary<int, (SpooledUpload File, string Id)> _files = [];
    private readonly List<int> _partOfSong = [];
    private readonly Lock _gate = new();

    /// <summary>Gets why the upload stopped before the form's end, if it did.</summary>
    public ProblemDetails? Error => form.Error;

    /// <summary>Gets how many parts came past the batch's song limit (counted as <c>rejected</c> in the summary, no result each).</summary>
    public int ExcessParts => form.ExcessParts;

    /// <summary>
    /// Reads the form to its end, writing songs to <paramref name="songs"/> and upload failures to <paramref name="failures"/>.
    /// When <paramref name="shutdown"/> begins, the rest of the form is still read for up to its
    /// <see cref="ShutdownReading.ReadOn"/> and every further song is a cancelled result; then reading stops with
    /// <c>shutting_down</c> as the upload's error.
    /// </summary>
    public async Task ReceiveAsync(ChannelWriter<Analysis.SpooledSong> songs, ChannelWriter<SongResult> failures, ShutdownReading shutdown, CancellationToken cancellationToken)
    {
        CancellationToken stopping = shutdown.Stopping;
        using var handOver = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellationToken);
        try
        {
            await foreach (ReceivedSong song in form.ReadAsync(pathFor: null, shutdown, cancellationToken).ConfigureAwait(false))
            {
                if (song.File is not { } file)
                {
                    failures.TryWrite(song.Failure!);
                    continue;
                }

                try
                {
                    lock (_gate)
                    {
                        _files[song.Index] = (file, song.Id);
                        _partOfSong.Add(song.Index);
                    }

                    await songs.WriteAsync(new Analysis.SpooledSong(song.Id, file.Path), handOver.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // The pipeline no longer takes this batch's songs: this one ends as cancelled, and the form is read on.
                    lock (_gate)
                    {
                        _files.Remove(song.Index);
                        _partOfSong.RemoveAt(_partOfSong.Count - 1);
                    }

                    file.Dispose();
                    failures.TryWrite(ReceivedSong.Failed(song.Index, song.Id, SongErrorCode.Cancelled, ReceivedSong.ShuttingDown).Failure!);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the host is stopping: the songs already taken end as cancelled.
        }
        finally
        {
            songs.TryComplete();
        }
    }

    /// <summary>Maps a pipeline result back to its part, and deletes the part's file now that its song is done.</summary>
    public SongResult Finished(SongResult result)
    {
        int part;
        (SpooledUpload File, string Id) entry;
        lock (_gate)
        {
            part = _partOfSong[result.Index];
            _files.Remove(part, out entry);
        }

        entry.File?.Dispose();
        return result with { Index = part };
    }

    /// <summary>
    /// A cancelled result for each song handed on that got none: one the analysis had not taken when the batch stopped
    /// (the host stopping), so that every song of the form still ends with exactly one result.
    /// </summary>
    public IReadOnlyList<SongResult> Unanswered()
    {
        KeyValuePair<int, (SpooledUpload File, string Id)>[] left;
        lock (_gate)
        {
            left = [.. _files.OrderBy(f => f.Key)];
            _files.Clear();
        }

        foreach (var entry in left)
        {
            entry.Value.File.Dispose();
        }

        return [.. left.Select(entry => ReceivedSong.Failed(entry.Key, entry.Value.Id, SongErrorCode.Cancelled, ReceivedSong.ShuttingDown).Failure!)];
    }

    /// <summary>Deletes every file still on disk (a cancelled or aborted batch).</summary>
    public void DeleteAll()
    {
        SpooledUpload[] left;
        lock (_gate)
        {
            left = [.. _files.Values.Select(f => f.File)];
            _files.Clear();
        }

        foreach (SpooledUpload file in left)
        {
            file.Dispose();
        }
    }
}
