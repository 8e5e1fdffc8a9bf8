namespace MusicClassification.Host.Uploads;

/// <summary>
/// One host per folder: an exclusive lock on <c>.host.lock</c> inside it, held until the host stops (on Linux an
/// advisory <c>flock</c>, which the kernel drops when the process dies, so a crash leaves no stale lock). A second host
/// given the same spool or data folder would sweep the first one's uploads in flight or open its job store: it refuses
/// to start instead, saying which folder.
/// </summary>
internal sealed class FolderLock : IDisposable
{
    private const string FileName = ".host.lock";
    private readonly FileStream _file;

    private FolderLock(FileStream file) => _file = file;

    /// <summary>Takes the folder's lock.</summary>
    /// <exception cref="InvalidOperationException">Another host (another process, or another host in this one) holds it.</exception>
    public static FolderLock Take(string folder, string what)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return new FolderLock(new FileStream(path, options));
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another host is using the {what} folder '{folder}' (it holds {FileName}). Give each host its own folder, or stop the other one.", ex);
        }
    }

    public void Dispose() => _file.Dispose();
}
