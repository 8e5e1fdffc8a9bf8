using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using MusicClassification.Host.Transport;

namespace MusicClassification.Host.Analysis;

/// <summary>
/// Role <c>Api</c>: songs sent over HTTP are analysed by the workers, never here. Each is sent on the direct-song queue
/// (a single song as interactive work, a batch's as batch work) and its result awaited on this node's reply queue; a
/// batch keeps up to <see cref="BatchWindow"/> songs with the workers at once and yields each result as it returns.
/// Every song still gets exactly one result: a broker failure or a song
/// no worker answered is <c>internal_error</c>, and a song whose client went away is <c>cancelled</c>.
/// </summary>
internal sealed class RemoteSongAnalyzer(ISongRequests requests) : ISongAnalyzer
{
    /// <summary>Songs of one batch with the workers at once: enough to keep several workers busy, bounded for the broker.</summary>
    private const int BatchWindow = 32;

    public Task<SongResult> ClassifyAsync(SpooledSong song, CancellationToken cancellationToken) =>
        RequestAsync(song, 0, SongPriority.Interactive, cancellationToken);

    public async IAsyncEnumerable<SongResult> ClassifyAsync(IAsyncEnumerable<SpooledSong> songs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var results = Channel.CreateUnbounded<SongResult>(new UnboundedChannelOptions { SingleReader = true });
        Task sending = SendAllAsync(songs, results.Writer, cancellationToken);
        await foreach (SongResult result in results.Reader.ReadAllAsync(CancellationToken.None))
        {
            yield return result;
        }

        await sending;
    }

    private async Task SendAllAsync(IAsyncEnumerable<SpooledSong> songs, ChannelWriter<SongResult> results, CancellationToken cancellationToken)
    {
        using var window = new SemaphoreSlim(BatchWindow, BatchWindow);
        var inFlight = new List<Task>();
        int position = 0;
        try
        {
            await foreach (SpooledSong song in songs.WithCancellation(cancellationToken))
            {
                int index = position++;
                try
                {
                    await window.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    results.TryWrite(Cancelled(song, index));
                    continue;
                }

                inFlight.Add(Task.Run(async () =>
                {
                    try
                    {
                        results.TryWrite(await RequestAsync(song, index, SongPriority.Batch, cancellationToken));
                    }
                    finally
                    {
                        window.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the host stops: songs already sent end as cancelled below.
        }
        finally
        {
            await Task.WhenAll(inFlight);
            results.TryComplete();
        }
    }

    private async Task<SongResult> RequestAsync(SpooledSong song, int index, SongPriority priority, CancellationToken cancellationToken)
    {
        try
        {
            using System.Diagnostics.Activity? send = Hosting.HostTracing.Start("song send", System.Diagnostics.ActivityKind.Producer, null);
            var address = new SongAddress("", index, song.Id, IncludeFeatures: true, Succeeded: false, send?.Id, priority);
            string? json = await requests.RequestAsync(address, song.Path, cancellationToken);
            SongResult? result = json is null ? null : JsonSerializer.Deserialize<SongResult>(json, SongResultJson.Options);
            return result is null
                ? SongResults.Failure(song.Id, index, SongErrorCode.Internal, "No analysis worker answered for this song in time (none runs, or each stopped or crashed on it).")
                : result with { Index = index };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled(song, index);
        }
        catch (TransportException ex)
        {
            return SongResults.Failure(song.Id, index, SongErrorCode.Internal, $"The song could not be handed to the analysis workers: {ex.Message}");
        }
        catch (IOException)
        {
            return SongResults.Lost(song.Id, index);
        }
    }

    private static SongResult Cancelled(SpooledSong song, int index) =>
        SongResults.Failure(song.Id, index, SongErrorCode.Cancelled, "The request ended before this song's analysis did.");
}
