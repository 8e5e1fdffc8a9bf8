namespace MusicClassification.Host.Transport;

/// <summary>A delivered song's bytes, ready for the pipeline; a copy fetched to a temporary file is deleted on dispose.</summary>
internal sealed class OpenedSong(SongInput input, string? temporaryFile = null) : IDisposable
{
    public SongInput Input { get; } = input;

    public void Dispose()
    {
        if (temporaryFile is not null)
        {
            File.Delete(temporaryFile);
        }
    }
}
