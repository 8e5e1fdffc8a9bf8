using System.Text.Json;
using MusicClassification.Host.Uploads;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// A job's songs while its form arrives: each spooled into the job's own folder, or already failed. Until the job is
/// stored, disposing removes every file and the folder: an upload that is refused or cut off leaves nothing.
/// </summary>
internal sealed class JobUpload(string jobId, JobSpool spool, JsonSerializerOptions json) : IDisposable
{
    private readonly List<NewJobSong> _songs = [];
    private readonly List<SpooledUpload> _files = [];
    private bool _stored;

    public string JobId { get; } = jobId;

    public IReadOnlyList<NewJobSong> Songs => _songs;

    /// <summary>Where the song of the form's <paramref name="index"/>-th file part is spooled.</summary>
    public string PathFor(int index) => spool.SongPath(JobId, index);

    public void Add(ReceivedSong song)
    {
        if (song.File is { } file)
        {
            _files.Add(file);
            _songs.Add(new NewJobSong(song.Index, song.Id, file.Path, null, false));
        }
        else
        {
            _songs.Add(new NewJobSong(song.Index, song.Id, null, JsonSerializer.Serialize(song.Failure, json), false));
        }
    }

    /// <summary>Hands the files over to the stored job: they are no longer removed with this upload.</summary>
    public void Stored()
    {
        foreach (SpooledUpload file in _files)
        {
            file.Keep();
        }

        _stored = true;
    }

    public void Dispose()
    {
        if (_stored)
        {
            return;
        }

        foreach (SpooledUpload file in _files)
        {
            file.Dispose();
        }

        spool.DeleteJob(JobId);
    }
}
