using Microsoft.AspNetCore.Mvc;
using MusicClassification.Host.Problems;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// The songs of a multipart form as they arrive, for both <c>/classify/batch</c> and <c>/jobs</c>: each file part is
/// spooled to its own private file (waiting for spool room when needed) under a sanitised, unique id; a part that is too
/// large or cut off comes as that song's failure; parts beyond <see cref="HostLimitsOptions.MaxSongsPerBatch"/> are only
/// counted (<see cref="ExcessParts"/>). When the
/// upload stops early, <see cref="Error"/> says why (null when the client went away or the form ended normally).
/// With <paramref name="waitForRoom"/>, a full spool makes the upload wait (a batch frees room as its own songs finish);
/// without, it stops the upload with 503 <c>server_busy</c> (a job frees nothing until its upload is stored, so waiting
/// could only end in a timeout).
/// </summary>
internal sealed class FormSongs(MultipartSongReader form, UploadSpool spool, HostLimitsOptions limits, HttpContext context, bool waitForRoom)
{
    /// <summary>
    /// Gets how many file parts came past <see cref="HostLimitsOptions.MaxSongsPerBatch"/>: read past without being
    /// stored, analysed or given a result each (a form of 300 000 tiny parts must not cost a result object per part).
    /// </summary>
    public int ExcessParts { get; private set; }

    /// <summary>Gets how many file parts arrived.</summary>
    public int Parts { get; private set; }

    /// <summary>Gets a value indicating whether the form was read to its closing boundary (not cut off, not abandoned).</summary>
    public bool Completed { get; private set; }

    /// <summary>Gets why the upload stopped before the form's end, if it did.</summary>
    public ProblemDetails? Error { get; private set; }

    /// <summary>
    /// Reads the form to its end. <paramref name="pathFor"/> names each song's file (null: the spool's own names). Once
    /// <paramref name="shutdown"/> begins (the host is stopping), the rest of the form is still read for up to its
    /// <see cref="ShutdownReading.ReadOn"/>, each song coming as <c>cancelled</c> without being stored, so the client
    /// learns the fate of every song it sent; past that, reading stops (the part in progress is <c>cancelled</c>) and
    /// <see cref="Error"/> is <c>shutting_down</c>, so a client still sending cannot hold the host past its grace period.
    /// </summary>
    public async IAsyncEnumerable<ReceivedSong> ReadAsync(
        Func<int, string>? pathFor,
        ShutdownReading shutdown,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = new SongNames();
        using var graceOver = new CancellationTokenSource();
        CancellationToken stopping = shutdown.Stopping;
        await using CancellationTokenRegistration startGrace = stopping.Register(() => graceOver.CancelAfter(shutdown.ReadOn));
        using var batchDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, graceOver.Token);
        batchDeadline.CancelAfter(limits.BatchUploadTimeout);
        while (true)
        {
            ReceivedSong? song = null;
            ReceivedSong? abandoned = null;
            TimeSpan timeout = limits.BatchUploadTimeout;
            (int Index, string Id)? reading = null;
            try
            {
                MultipartSongReader.FilePart? part = await form.NextFileAsync(batchDeadline.Token).ConfigureAwait(false);
                if (part is null)
                {
                    Completed = true;
                    yield break;
                }

                if (Parts >= limits.MaxSongsPerBatch)
                {
                    // Counted, never stored: the next part's read skips this one's bytes.
                    ExcessParts++;
                    continue;
                }

                int index = Parts++;
                string id = names.Next(part.FileName, index);
                reading = (index, id);
                timeout = limits.SongUploadTimeout;
                song = stopping.IsCancellationRequested
                        ? ReceivedSong.Failed(index, id, SongErrorCode.Cancelled, ReceivedSong.ShuttingDown)
                        : await SpoolAsync(part, index, id, pathFor, batchDeadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (UploadFailures.IsUploadFailure(ex))
            {
                // A client that went away gets no error (nobody to read it).
                Error = cancellationToken.IsCancellationRequested ? null
                    : graceOver.IsCancellationRequested ? HostProblems.ShuttingDown()
                    : UploadFailures.Describe(ex, context, limits.MaxBatchBytes, timeout);
                if (graceOver.IsCancellationRequested && reading is { } part)
                {
                    // The client sent this song (in part): it learns that it was not analysed.
                    abandoned = ReceivedSong.Failed(part.Index, part.Id, SongErrorCode.Cancelled, ReceivedSong.ShuttingDown);
                }
            }

            if (abandoned is not null)
            {
                yield return abandoned;
            }

            if (song is null)
            {
                yield break;
            }

            yield return song;
            if (song.CutOff)
            {
                yield break;
            }
        }
    }

    private async Task<ReceivedSong> SpoolAsync(MultipartSongReader.FilePart part, int index, string id, Func<int, string>? pathFor, CancellationToken cancellationToken)
    {
        using var songDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        songDeadline.CancelAfter(limits.SongUploadTimeout);
        try
        {
            SpooledUpload file = pathFor is null
                ? await spool.SpoolAsync(part.Body, limits.MaxUploadBytes, waitForRoom, songDeadline.Token).ConfigureAwait(false)
                : await spool.SpoolAsync(part.Body, pathFor(index), limits.MaxUploadBytes, waitForRoom, songDeadline.Token).ConfigureAwait(false);
            return new ReceivedSong(index, id, file, null, CutOff: false);
        }
        catch (UploadTooLargeException tooLarge)
        {
            return ReceivedSong.Failed(index, id, SongErrorCode.TooLong, tooLarge.Message);
        }
        catch (Exception ex) when (UploadFailures.IsUploadFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            Error = UploadFailures.Describe(ex, context, limits.MaxBatchBytes, limits.SongUploadTimeout);
            return ReceivedSong.Failed(index, id, SongErrorCode.CorruptAudio, "The song's upload was cut off before its end.") with { CutOff = true };
        }
    }
}

/// <summary>One song of a form: on disk (<see cref="File"/>) or already failed (<see cref="Failure"/>).</summary>
/// <param name="Index">The part's position among the form's file parts.</param>
/// <param name="Id">The song's id: the part's file name, sanitised and unique in the form.</param>
/// <param name="File">The spooled file, when the song arrived whole.</param>
/// <param name="Failure">Why the song has no file.</param>
/// <param name="CutOff">The upload broke off inside this song; no more songs follow.</param>
internal sealed record ReceivedSong(int Index, string Id, SpooledUpload? File, SongResult? Failure, bool CutOff)
{
    public const string ShuttingDown = "The service was shutting down; the song was not analysed. Send it again.";

    public static ReceivedSong Failed(int index, string id, SongErrorCode code, string message) =>
        new(index, id, null, SongResults.Failure(id, index, code, message), CutOff: false);
}
