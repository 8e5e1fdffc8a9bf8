using System.Globalization;
using Microsoft.Data.Sqlite;
using static MusicClassification.Host.Jobs.SqliteStatements;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Jobs, their songs and results in one SQLite file (WAL mode) under <see cref="JobOptions.DataDirectory"/>. A job and
/// all its songs are written in one transaction when its upload is complete; each result is committed as it completes,
/// at most once per song (a song whose result is stored is never analysed or counted again). Writes are serialised in
/// this process; readers run beside them (WAL).
/// </summary>
internal sealed partial class SqliteJobStore : IJobStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private Uploads.FolderLock? _lock;

    private readonly JobDataFolder _folder;

    public SqliteJobStore(JobDataFolder folder)
    {
        _folder = folder;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = folder.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>
    /// Stores a new job unless the open-job limits are reached, counted in the same transaction as the insert: uploads
    /// that finish together cannot all pass a check made before any of them was stored.
    /// </summary>
    public async Task<JobAdmission> CreateAsync(JobRecord job, IReadOnlyList<NewJobSong> songs, int maxOpenJobs, int maxOpenJobsPerClient, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            using SqliteConnection connection = Connect();
            using SqliteTransaction transaction = connection.BeginTransaction();
            if (Count(connection, transaction, OpenJobsSql, ("$owner", null)) >= maxOpenJobs)
            {
                return JobAdmission.TooManyOpenJobs;
            }

            if (Count(connection, transaction, OpenJobsSql + " AND owner = $owner", ("$owner", job.Owner)) >= maxOpenJobsPerClient)
            {
                return JobAdmission.TooManyForClient;
            }

            int done = songs.Count(s => s.ResultJson is not null);
            int succeeded = songs.Count(s => s.ResultJson is not null && s.Succeeded);
            Execute(connection, transaction,
                "INSERT INTO jobs (id, owner, state, total, done, succeeded, failed, include_features, created, updated, trace) VALUES ($id, $owner, $state, $total, $done, $ok, $failed, $features, $now, $now, $trace)",
                ("$id", job.Id), ("$owner", job.Owner), ("$state", job.State), ("$total", job.Total), ("$done", done), ("$ok", succeeded),
                ("$failed", done - succeeded), ("$features", job.IncludeFeatures ? 1 : 0), ("$now", Time(job.Created)), ("$trace", job.Trace));
            using SqliteCommand insert = Command(connection, transaction,
                "INSERT INTO songs (job_id, idx, song_id, path, position, result) VALUES ($job, $idx, $song, $path, $position, $result)");
            int position = 0;
            foreach (NewJobSong song in songs)
            {
                Bind(insert, ("$job", job.Id), ("$idx", song.Index), ("$song", song.Id), ("$path", song.Path),
                    ("$position", song.ResultJson is null ? null : ++position), ("$result", song.ResultJson));
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return JobAdmission.Created;
        }
        finally
        {
            _writer.Release();
        }
    }

    // The states are the same constants in C# and in SQL: a renamed state cannot leave a query behind.
    private const string IsOpen = $"state IN ('{JobState.Queued}', '{JobState.Running}')";
    private const string OpenJobsSql = $"SELECT COUNT(*) FROM jobs WHERE {IsOpen}";

    /// <summary>Stores a song's result unless it already has one; true when stored (and counted).</summary>
    public async Task<bool> StoreResultAsync(string jobId, int index, string json, bool succeeded, DateTimeOffset now)
    {
        await _writer.WaitAsync();
        try
        {
            using SqliteConnection connection = Connect();
            using SqliteTransaction transaction = connection.BeginTransaction();
            int stored = Execute(connection, transaction,
                "UPDATE songs SET result = $result, path = NULL, position = (SELECT done + 1 FROM jobs WHERE id = $job) WHERE job_id = $job AND idx = $idx AND result IS NULL",
                ("$result", json), ("$job", jobId), ("$idx", index));
            if (stored == 1)
            {
                Execute(connection, transaction,
                    "UPDATE jobs SET done = done + 1, succeeded = succeeded + $ok, failed = failed + $failed, updated = $now WHERE id = $job",
                    ("$ok", succeeded ? 1 : 0), ("$failed", succeeded ? 0 : 1), ("$now", Time(now)), ("$job", jobId));
            }

            transaction.Commit();
            return stored == 1;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Records that the broker has confirmed the song's message: its file is no longer needed here.</summary>
    public Task MarkDispatchedAsync(string jobId, int index) =>
        WriteAsync("UPDATE songs SET path = NULL WHERE job_id = $job AND idx = $idx AND result IS NULL", ("$job", jobId), ("$idx", index));

    /// <summary>Completes a queued or running job whose every song has a result; true when this call completed it.</summary>
    public async Task<bool> CompleteIfDoneAsync(string jobId, DateTimeOffset now, TimeSpan retention)
    {
        await _writer.WaitAsync();
        try
        {
            using SqliteConnection connection = Connect();
            return Execute(connection, null,
                $"UPDATE jobs SET state = '{JobState.Completed}', updated = $now, completed = $now, expires = $expires WHERE id = $job AND done >= total AND {IsOpen}",
                ("$now", Time(now)), ("$expires", Time(now + retention)), ("$job", jobId)) == 1;
        }
        finally
        {
            _writer.Release();
        }
    }

    public Task SetStateAsync(string jobId, string state, DateTimeOffset now, TimeSpan? retention = null)
    {
        string sql = state switch
        {
            JobState.Running => "UPDATE jobs SET state = $state, updated = $now, started = COALESCE(started, $now) WHERE id = $job",
            JobState.Completed => "UPDATE jobs SET state = $state, updated = $now, completed = $now, expires = $expires WHERE id = $job",
            _ => "UPDATE jobs SET state = $state, updated = $now WHERE id = $job",
        };
        return WriteAsync(sql, ("$state", state), ("$now", Time(now)), ("$expires", retention is { } keep ? Time(now + keep) : null), ("$job", jobId));
    }

    public Task DeleteAsync(string jobId) => WriteAsync("DELETE FROM jobs WHERE id = $job", ("$job", jobId));

    public void Dispose()
    {
        _writer.Dispose();
        _lock?.Dispose();

        // Pooled connections keep the database (and its WAL) open; a stopped host lets go of the files.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task WriteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await _writer.WaitAsync();
        try
        {
            using SqliteConnection connection = Connect();
            Execute(connection, null, sql, parameters);
        }
        finally
        {
            _writer.Release();
        }
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
