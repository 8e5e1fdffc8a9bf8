using System.Text.Json;

namespace LibraryUploader;

/// <summary>
/// What a run has done so far, saved after every step so that an interrupted run resumes: the jobs the service
/// accepted (with their files, in upload order, and how far their results were read) and the files that have a result.
/// </summary>
internal sealed class UploadState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public List<JobEntry> Jobs { get; set; } = [];

    public HashSet<string> Done { get; set; } = new(StringComparer.Ordinal);

    public static UploadState Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<UploadState>(File.ReadAllText(path), Json) ?? new UploadState() : new UploadState();

    public void Save(string path)
    {
        // Written beside and renamed over, so a crash never leaves half a state file.
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    internal sealed class JobEntry
    {
        public required string Id { get; set; }

        public required List<string> Files { get; set; }

        public int After { get; set; }

        public bool Complete { get; set; }
    }
}
