using Npgsql;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Opening the shared store: this node's folder, lock and identity, then the schema, brought up to date by numbered
/// migrations applied once, in order, under an advisory lock (nodes starting together do not race), each recorded in
/// <c>job_store_migrations</c>. A migration is never edited once released; a change is a new one (docs/scale-out.md).
/// </summary>
internal sealed partial class PostgreSqlJobStore
{
    /// <summary>The migration lock ("mc-migr" in ASCII), apart from admission's.</summary>
    private const long MigrationLock = 0x6d632d6d696772;

    /// <summary>How long a start-up waits for a database that is still coming up (one started beside the node, say).</summary>
    private static readonly TimeSpan ReachWithin = TimeSpan.FromSeconds(30);

    private static readonly string[] Migrations =
    [
        // 1: jobs (with the node holding their songs), songs and results, positions for paging.
        $"""
        CREATE TABLE jobs (
            id text PRIMARY KEY, owner text, node text NOT NULL, state text NOT NULL, total integer NOT NULL,
            done integer NOT NULL DEFAULT 0, succeeded integer NOT NULL DEFAULT 0, failed integer NOT NULL DEFAULT 0,
            include_features boolean NOT NULL, created timestamptz NOT NULL, updated timestamptz NOT NULL,
            started timestamptz, completed timestamptz, expires timestamptz, trace text);
        CREATE INDEX jobs_open ON jobs (node, created) WHERE {IsOpen};
        CREATE INDEX jobs_expires ON jobs (expires) WHERE expires IS NOT NULL;
        CREATE TABLE songs (
            job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, idx integer NOT NULL, song_id text NOT NULL,
            path text, position integer, result text, PRIMARY KEY (job_id, idx));
        CREATE INDEX songs_position ON songs (job_id, position) WHERE position IS NOT NULL;
        """,
    ];

    /// <summary>Gets the schema version this build brings the database to.</summary>
    public static int SchemaVersion => Migrations.Length;

    public void Open()
    {
        Uploads.PrivateDirectory.Ensure(_folder.Path);

        // One host per data folder (its spool and node identity), as with the embedded store.
        _lock ??= Uploads.FolderLock.Take(_folder.Path, "jobs data");
        _node = _folder.NodeId();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Migrate();
                Unavailable = null;
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or PostgresException or TimeoutException)
            {
                if (waited.Elapsed >= ReachWithin || ex is PostgresException { SqlState: not ("57P03" or "53300") })
                {
                    Unavailable = $"The job store at {_where} cannot be used ({ex.Message.TrimEnd('.')}). Jobs are off on this node until it is " +
                        "restarted with the database reachable; songs sent directly are still analysed.";
                    return;
                }

                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }

    private void Migrate()
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", MigrationLock));
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS job_store_migrations (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())");
        using NpgsqlCommand current = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM job_store_migrations");
        int version = Convert.ToInt32(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The job store's schema is version {version}, newer than this build's {Migrations.Length}: a newer node migrated it. Run that version.");
        }

        for (int next = version + 1; next <= Migrations.Length; next++)
        {
            Execute(connection, transaction, Migrations[next - 1]);
            Execute(connection, transaction, "INSERT INTO job_store_migrations (version) VALUES (@version)", ("version", next));
        }

        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using NpgsqlCommand command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }
}
