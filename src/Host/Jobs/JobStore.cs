using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Jobs, their songs and results in one SQLite file (WAL mode) under <see cref="JobOptions.DataDirectory"/>. A job and
/// all its songs are written in one transaction when its upload is complete; each result is committed as it completes,
/// at most once per song (a song whose result is stored is never analysed or counted again). Writes are serialised in
/// this process; readers run beside them (WAL).
/// </summary>
internal sealed class JobStore : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS jobs (
            id TEXT PRIMARY KEY, owner TEXT, state TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0,
            succeeded INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, include_features INTEGER NOT NULL,
            created TEXT NOT NULL, updated TEXT NOT NULL, started TEXT, completed TEXT, expires TEXT);
        CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
        CREATE INDEX IF NOT EXISTS jobs_expires ON jobs (expires);
        CREATE TABLE IF NOT EXISTS songs (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, idx INTEGER NOT NULL, song_id TEXT NOT NULL,
            path TEXT, position INTEGER, result TEXT, PRIMARY KEY (job_id, idx));
        CREATE INDEX IF NOT EXISTS songs_position ON songs (job_id, position);
        """;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private Uploads.FolderLock? _lock;

    private readonly JobDataFolder _folder;

    public JobStore(JobDataFolder folder)
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
    /// Gets why jobs cannot be served (a damaged store, or a store missing beside uploads it should describe), for the
    /// operator's log; null when the store opened. The host keeps analysing songs sent directly either way.
    /// </summary>
    public string? Unavailable { get; private set; }

    public bool IsAvailable => Unavailable is null;

    /// <summary>
    /// Creates the folder (private) and the schema. Called once at start-up. A store that cannot be read, or one that is
    /// missing while the spool still holds jobs' uploads, is left as it is and marked <see cref="Unavailable"/>: starting
    /// over would delete those uploads as routine, and refusing to start would take direct analysis down with the jobs.
    /// </summary>
    public void Open()
    {
        string data = _folder.Path;
        Uploads.PrivateDirectory.Ensure(data);

        // One host per job store: a second one would resume (and delete) the first one's jobs.
        _lock ??= Uploads.FolderLock.Take(data, "jobs data");
        if (!File.Exists(_folder.DatabasePath) && _folder.JobFolderCount() is > 0 and int orphans)
        {
            Unavailable = $"The job store {_folder.DatabasePath} is missing, but {_folder.SpoolDirectory} holds the uploads of {orphans} jobs it described. " +
                $"Stop the service and put the store back, or move the folder {data} aside to start with no jobs.";
            return;
        }

        try
        {
            using SqliteConnection connection = Connect();
            Execute(connection, null, Schema);

            // Reading every row of both tables finds a damaged page before a request or the resume does.
            Count(connection, null, "SELECT COUNT(*) FROM jobs WHERE state <> ''");
            Count(connection, null, "SELECT COUNT(*) FROM songs WHERE song_id <> ''");
        }
        catch (SqliteException ex)
        {
            using (var pooled = new SqliteConnection(_connectionString))
            {
                SqliteConnection.ClearPool(pooled);
            }

            Unavailable = $"The job store {_folder.DatabasePath} cannot be read ({ex.Message.TrimEnd('.')}). " +
                $"Stop the service, move the folder {data} aside (it holds what can be recovered) and start again with no jobs.";
        }
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
                "INSERT INTO jobs (id, owner, state, total, done, succeeded, failed, include_features, created, updated) VALUES ($id, $owner, $state, $total, $done, $ok, $failed, $features, $now, $now)",
                ("$id", job.Id), ("$owner", job.Owner), ("$state", job.State), ("$total", job.Total), ("$done", done), ("$ok", succeeded),
                ("$failed", done - succeeded), ("$features", job.IncludeFeatures ? 1 : 0), ("$now", Time(job.Created)));
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

    private static int Count(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

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

    public JobRecord? Find(string jobId)
    {
        using SqliteConnection connection = Connect();
        using SqliteCommand command = Command(connection, null,
            "SELECT id, owner, state, total, done, succeeded, failed, include_features, created, updated, started, completed, expires FROM jobs WHERE id = $job",
            ("$job", jobId));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? ReadJob(reader) : null;
    }

    /// <summary>Songs without a result whose file is still here (in the <c>Api</c> role: not yet handed to the broker).</summary>
    public IReadOnlyList<PendingSong> Pending(string jobId) => Query(
        "SELECT idx, song_id, path FROM songs WHERE job_id = $job AND result IS NULL AND path IS NOT NULL ORDER BY idx",
        r => new PendingSong(r.GetInt32(0), r.GetString(1), r.GetString(2)),
        ("$job", jobId));

    public IReadOnlyList<StoredResult> Results(string jobId, int after, int limit) => Query(
        "SELECT position, result FROM songs WHERE job_id = $job AND position > $after ORDER BY position LIMIT $limit",
        r => new StoredResult(r.GetInt32(0), r.GetString(1)),
        ("$job", jobId), ("$after", after), ("$limit", limit));

    /// <summary>Jobs not finished (queued or running), oldest first: what a start-up resumes.</summary>
    public IReadOnlyList<string> Unfinished() => Query(
        $"SELECT id FROM jobs WHERE {IsOpen} ORDER BY created", r => r.GetString(0));

    public IReadOnlyList<string> ExpiredBy(DateTimeOffset now) => Query(
        "SELECT id FROM jobs WHERE expires IS NOT NULL AND expires < $now", r => r.GetString(0), ("$now", Time(now)));

    public IReadOnlyList<string> AllIds() => Query("SELECT id FROM jobs", r => r.GetString(0));

    public int OpenJobs(string? owner) => Query(
        owner is null ? OpenJobsSql : OpenJobsSql + " AND owner = $owner",
        r => r.GetInt32(0),
        ("$owner", owner))[0];

    public IReadOnlyDictionary<string, int> CountByState()
    {
        var counts = JobState.All.ToDictionary(s => s, _ => 0);
        foreach ((string state, int count) in Query("SELECT state, COUNT(*) FROM jobs GROUP BY state", r => (r.GetString(0), r.GetInt32(1))))
        {
            counts[state] = count;
        }

        return counts;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _lock?.Dispose();

        // Pooled connections keep the database (and its WAL) open; a stopped host lets go of the files.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static JobRecord ReadJob(SqliteDataReader r) => new(
        r.GetString(0),
        r.IsDBNull(1) ? null : r.GetString(1),
        r.GetString(2),
        r.GetInt32(3),
        r.GetInt32(4),
        r.GetInt32(5),
        r.GetInt32(6),
        r.GetInt32(7) != 0,
        ParseTime(r.GetString(8)),
        ParseTime(r.GetString(9)),
        r.IsDBNull(10) ? null : ParseTime(r.GetString(10)),
        r.IsDBNull(11) ? null : ParseTime(r.GetString(11)),
        r.IsDBNull(12) ? null : ParseTime(r.GetString(12)));

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

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using SqliteConnection connection = Connect();
        using SqliteCommand command = Command(connection, null, sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        Bind(command, parameters);
        return command;
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        command.Parameters.Clear();
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
