using System.Runtime.CompilerServices;

namespace MusicClassification.Host.Analysis;

/// <summary>Role <c>All</c>: songs sent over HTTP go through this process's shared pipeline, read from their spooled files.</summary>
internal sealed class LocalSongAnalyzer(MusicClassificationPipeline pipeline) : ISongAnalyzer
{
    public Task<SongResult> ClassifyAsync(SpooledSong song, CancellationToken cancellationToken) =>
        pipeline.ClassifyAsync(SongInput.FromFile(song.Id, song.Path), cancellationToken);

    public async IAsyncEnumerable<SongResult> ClassifyAsync(IAsyncEnumerable<SpooledSong> songs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (SongResult result in pipeline.ClassifyAsync(Inputs(songs, cancellationToken), progress: null, cancellationToken))
        {
            yield return result;
        }
    }

    private static async IAsyncEnumerable<SongInput> Inputs(IAsyncEnumerable<SpooledSong> songs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (SpooledSong song in songs.WithCancellation(cancellationToken))
        {
            yield return SongInput.FromFile(song.Id, song.Path);
        }
    }
}
