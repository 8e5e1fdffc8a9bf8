using Npgsql;

namespace MusicClassification.Host.Jobs;

/// <summary>The store's reads, each on a pooled connection of its own.</summary>
internal sealed partial class PostgreSqlJobStore
{
    public JobRecord? Find(string jobId) =>
        Query($"SELECT {JobColumns} FROM jobs WHERE id = @job", ReadJob, ("job", jobId)) is [var job] ? job : null;

    /// <summary>Songs without a result whose file is on this node and not yet with the transport.</summary>
    public IReadOnlyList<PendingSong> Pending(string jobId) => Query(
        "SELECT s.idx, s.song_id, s.path FROM songs s JOIN jobs j ON j.id = s.job_id " +
        "WHERE s.job_id = @job AND j.node = @node AND s.result IS NULL AND s.path IS NOT NULL ORDER BY s.idx",
        r => new PendingSong(r.GetInt32(0), r.GetString(1), r.GetString(2)),
        ("job", jobId), ("node", _node));

    public IReadOnlyList<StoredResult> Results(string jobId, int after, int limit) => Query(
        "SELECT position, result FROM songs WHERE job_id = @job AND position > @after ORDER BY position LIMIT @limit",
        r => new StoredResult(r.GetInt32(0), r.GetString(1)),
        ("job", jobId), ("after", after), ("limit", limit));

    /// <summary>This node's jobs not finished, oldest first: the ones whose songs it holds, which its start-up resumes.</summary>
    public IReadOnlyList<string> Unfinished() => Query(
        $"SELECT id FROM jobs WHERE node = @node AND {IsOpen} ORDER BY created", r => r.GetString(0), ("node", _node));

    public IReadOnlyList<string> ExpiredBy(DateTimeOffset now) => Query(
        "SELECT id FROM jobs WHERE expires IS NOT NULL AND expires < @now", r => r.GetString(0), ("now", now.ToUniversalTime()));

    public IReadOnlyList<string> AllIds() => Query("SELECT id FROM jobs", r => r.GetString(0));

    public int OpenJobs(string? owner) => owner is null
        ? Query(OpenJobsSql, r => (int)r.GetInt64(0))[0]
        : Query(OpenJobsSql + " AND owner = @owner", r => (int)r.GetInt64(0), ("owner", owner))[0];

    public IReadOnlyDictionary<string, int> CountByState()
    {
        var counts = JobState.All.ToDictionary(s => s, _ => 0);
        foreach ((string state, long count) in Query("SELECT state, COUNT(*) FROM jobs GROUP BY state", r => (r.GetString(0), r.GetInt64(1))))
        {
            counts[state] = (int)count;
        }

        return counts;
    }

    private static JobRecord ReadJob(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.IsDBNull(1) ? null : r.GetString(1),
        r.GetString(2),
        r.GetInt32(3),
        r.GetInt32(4),
        r.GetInt32(5),
        r.GetInt32(6),
        r.GetBoolean(7),
        Time(r, 8)!.Value,
        Time(r, 9)!.Value,
        Time(r, 10),
        Time(r, 11),
        Time(r, 12),
        r.IsDBNull(13) ? null : r.GetString(13));

    private static DateTimeOffset? Time(NpgsqlDataReader r, int column) =>
        r.IsDBNull(column) ? null : new DateTimeOffset(r.GetFieldValue<DateTime>(column), TimeSpan.Zero);

    private List<T> Query<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand command = Command(connection, null, sql, parameters);
        using NpgsqlDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
