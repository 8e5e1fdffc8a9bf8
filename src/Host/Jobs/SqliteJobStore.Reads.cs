using Microsoft.Data.Sqlite;
using static MusicClassification.Host.Jobs.SqliteStatements;

namespace MusicClassification.Host.Jobs;

/// <summary>The store's reads: each on a pooled connection of its own, beside the one writer (WAL).</summary>
internal sealed partial class SqliteJobStore
{
    public JobRecord? Find(string jobId)
    {
        using SqliteConnection connection = Connect();
        using SqliteCommand command = Command(connection, null,
            "SELECT id, owner, state, total, done, succeeded, failed, include_features, created, updated, started, completed, expires, trace FROM jobs WHERE id = $job",
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
}
