namespace MusicClassification.Host.Uploads;

/// <summary>A temporary file holding one upload; disposing it deletes the file.</summary>
internal sealed class SpooledUpload(string path) : IDisposable
{
    public string Path { get; } = path;

    public long Length { get; set; }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // A file still open elsewhere is removed by the next start-up sweep of the temp folder.
        }
    }
}
