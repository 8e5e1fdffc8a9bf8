namespace MusicClassification.Host.Analysis;

/// <summary>A song received over HTTP and spooled to a private file, waiting for its analysis.</summary>
/// <param name="Id">The song's identifier (its sanitised file name).</param>
/// <param name="Path">Its file in the upload spool.</param>
internal sealed record SpooledSong(string Id, string Path);
