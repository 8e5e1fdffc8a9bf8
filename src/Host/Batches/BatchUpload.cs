using System.Threading.Channels;
using Microsoft.AspNetCore.Mvc;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Batches;

/// <summary>
/// The receiving half of a batch: walks the form part by part, spools each song to its own private file and hands it on
/// as soon as it is on disk, so analysis overlaps the upload. A part that is too large or cut off, or beyond the batch's
/// song limit, becomes that song's failed result at once. Files stay registered until their song's result is out.
/// </summary>
internal sealed class BatchUpload(MultipartSongReader form, UploadSpool spool, HostLimitsOptions limits, HttpContext context)
{
    private readonly Dictionary<int, SpooledUpload> _files = [];
    private readonly List<int> _partOfSong = [];
    private readonly Lock _gate = new();

    /// <summary>Gets how many file parts arrived.</summary>
    public int Parts { get; private set; }

    /// <summary>Gets why the upload stopped before the form's end, if it did.</summary>
    public ProblemDetails? Error { get; private set; }

    /// <summary>Reads the form to its end, writing songs to <paramref name="songs"/> and upload failures to <paramref name="failures"/>.</summary>
    public async Task ReceiveAsync(ChannelWriter<SongInput> songs, ChannelWriter<SongResult> failures, CancellationToken cancellationToken)
    {
        var names = new SongNames();
        using var batchDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        batchDeadline.CancelAfter(limits.BatchUploadTimeout);
        TimeSpan timeout = limits.BatchUploadTimeout;
        try
        {
            while (await form.NextFileAsync(batchDeadline.Token).ConfigureAwait(false) is { } part)
            {
                int index = Parts++;
                string id = names.Next(part.FileName, index);
                if (index >= limits.MaxSongsPerBatch)
                {
                    failures.TryWrite(Failed(id, index, SongErrorCode.Rejected, $"The batch holds more than {limits.MaxSongsPerBatch} songs; this one was not analysed."));
                    continue;
                }

                using var songDeadline = CancellationTokenSource.CreateLinkedTokenSource(batchDeadline.Token);
                songDeadline.CancelAfter(limits.SongUploadTimeout);
                timeout = limits.SongUploadTimeout;
                SpooledUpload upload;
                try
                {
                    upload = await spool.SpoolAsync(part.Body, limits.MaxUploadBytes, waitForRoom: true, songDeadline.Token).ConfigureAwait(false);
                }
                catch (UploadTooLargeException tooLarge)
                {
                    failures.TryWrite(Failed(id, index, SongErrorCode.TooLong, tooLarge.Message));
                    continue;
                }
                catch (Exception ex) when (UploadFailures.IsUploadFailure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    failures.TryWrite(Failed(id, index, SongErrorCode.CorruptAudio, "The song's upload was cut off before its end."));
                    throw;
                }

                timeout = limits.BatchUploadTimeout;
                lock (_gate)
                {
                    _files[index] = upload;
                    _partOfSong.Add(index);
                }

                await songs.WriteAsync(SongInput.FromFile(id, upload.Path), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (UploadFailures.IsUploadFailure(ex))
        {
            // A client that went away gets no error (nobody to read it); its songs end as cancelled.
            Error = cancellationToken.IsCancellationRequested ? null : UploadFailures.Describe(ex, context, limits.MaxBatchBytes, timeout);
        }
        finally
        {
            songs.TryComplete();
        }
    }

    /// <summary>Maps a pipeline result back to its part, and deletes the part's file now that its song is done.</summary>
    public SongResult Finished(SongResult result)
    {
        SpooledUpload? file;
        int part;
        lock (_gate)
        {
            part = _partOfSong[result.Index];
            _files.Remove(part, out file);
        }

        file?.Dispose();
        return result with { Index = part };
    }

    /// <summary>Deletes every file still on disk (a cancelled or aborted batch).</summary>
    public void DeleteAll()
    {
        SpooledUpload[] left;
        lock (_gate)
        {
            left = [.. _files.Values];
            _files.Clear();
        }

        foreach (SpooledUpload file in left)
        {
            file.Dispose();
        }
    }

    private static SongResult Failed(string id, int index, SongErrorCode code, string message) =>
        new() { Id = id, Index = index, Error = new SongError(code, message) };
}
