namespace MusicClassification.Host.Analysis;

/// <summary>
/// Who analyses the songs sent to <c>/classify</c> and <c>/classify/batch</c>: this process's pipeline (role <c>All</c>,
/// <see cref="LocalSongAnalyzer"/>) or the workers behind the broker (role <c>Api</c>, <see cref="RemoteSongAnalyzer"/>,
/// so an API node analyses nothing). Results come back in the same shape either way: every song one result, with its
/// GTZAN vector (the endpoint decides whether to show it), numbered by its position in the stream.
/// </summary>
internal interface ISongAnalyzer
{
    /// <summary>Analyses one song someone is waiting for.</summary>
    Task<SongResult> ClassifyAsync(SpooledSong song, CancellationToken cancellationToken);

    /// <summary>Analyses a stream of songs as they arrive, yielding each result as it completes (Index: its position in the stream).</summary>
    IAsyncEnumerable<SongResult> ClassifyAsync(IAsyncEnumerable<SpooledSong> songs, CancellationToken cancellationToken);
}
