namespace MusicClassification.Host.Tests;

/// <summary>
/// Removes what the host tests write to the temporary folder (spools, job stores, scale-out nodes' data) once they have
/// all run, whether they passed or not: each host also removes its own folders when it is disposed, this catches the
/// rest (a process killed on purpose, a failing test).
/// </summary>
[TestClass]
public static class TestFolders
{
    /// <summary>Gets this test run's own folder (another run on the same machine has its own).</summary>
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "mc-host-tests", $"run-{Environment.ProcessId}");

    [AssemblyCleanup]
    public static void RemoveAll()
    {
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }

            string parent = Path.GetDirectoryName(Root)!;
            if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held by a process being torn down: the run's folder is left for the machine's temp cleaner.
        }
    }
}
