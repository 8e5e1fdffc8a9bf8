using Microsoft.Data.Sqlite;
using static MusicClassification.Host.Jobs.SqliteStatements;

namespace MusicClassification.Host.Jobs;

/// <summary>Opening the store: its folder and lock, its schema, and telling a damaged or missing store from a new one.</summary>
internal sealed partial class SqliteJobStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS jobs (
            id TEXT PRIMARY KEY, owner TEXT, state TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0,
            succeeded INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, include_features INTEGER NOT NULL,
            created TEXT NOT NULL, updated TEXT NOT NULL, started TEXT, completed TEXT, expires TEXT, trace TEXT);
        CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
        CREATE INDEX IF NOT EXISTS jobs_expires ON jobs (expires);
        CREATE TABLE IF NOT EXISTS songs (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, idx INTEGER NOT NULL, song_id TEXT NOT NULL,
            path TEXT, position INTEGER, result TEXT, PRIMARY KEY (job_id, idx));
        CREATE INDEX IF NOT EXISTS songs_position ON songs (job_id, position);
        """;

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

            // Stores made before jobs kept their upload's trace get the column (SQLite adds it in place, NULL for old rows).
            if (Count(connection, null, "SELECT COUNT(*) FROM pragma_table_info('jobs') WHERE name = 'trace'") == 0)
            {
                Execute(connection, null, "ALTER TABLE jobs ADD COLUMN trace TEXT");
            }

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
}
