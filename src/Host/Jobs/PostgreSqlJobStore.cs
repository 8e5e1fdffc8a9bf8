using Npgsql;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// Jobs, their songs and results in PostgreSQL (<see cref="JobOptions.PostgreSql"/>), shared by every API node behind a
/// load balancer: any node answers any job (reads, results, deletes, expiry), and results are stored by whichever node
/// collects them. A job's songs stay on the node that spooled them until the transport holds them, so each job records
/// that node (<see cref="JobDataFolder.NodeId"/>) and a node resumes only its own jobs. The same promises as
/// <see cref="SqliteJobStore"/>, kept across nodes by the database: admission counts the open jobs under one advisory
/// lock, and a result locks its job's row before taking the next completion position.
/// </summary>
internal sealed partial class PostgreSqlJobStore : IJobStore
{
    // The states are the same constants in C# and in SQL: a renamed state cannot leave a query behind.
    private const string IsOpen = $"state IN ('{JobState.Queued}', '{JobState.Running}')";
    private const string OpenJobsSql = $"SELECT COUNT(*) FROM jobs WHERE {IsOpen}";
    private const string JobColumns = "id, owner, state, total, done, succeeded, failed, include_features, created, updated, started, completed, expires, trace";

    /// <summary>The advisory lock every node's admission takes (any constant; "mc-jobs" in ASCII).</summary>
    private const long AdmissionLock = 0x6d632d6a6f6273;

    private readonly JobDataFolder _folder;
    private readonly NpgsqlDataSource _source;
    private readonly string _where;
    private Uploads.FolderLock? _lock;
    private string _node = "";

    public PostgreSqlJobStore(JobDataFolder folder, Microsoft.Extensions.Options.IOptions<JobOptions> options)
    {
        _folder = folder;
        var builder = new NpgsqlConnectionStringBuilder(options.Value.PostgreSql);
        _where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
    }

    public string? Unavailable { get; private set; }

    public async Task<JobAdmission> CreateAsync(JobRecord job, IReadOnlyList<NewJobSong> songs, int maxOpenJobs, int maxOpenJobsPerClient, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Uploads finishing together on different nodes must not all pass a count made before any of them was stored.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", AdmissionLock));
        if (await CountAsync(connection, transaction, OpenJobsSql) >= maxOpenJobs)
        {
            return JobAdmission.TooManyOpenJobs;
        }

        if (await CountAsync(connection, transaction, OpenJobsSql + " AND owner IS NOT DISTINCT FROM @owner", ("owner", job.Owner)) >= maxOpenJobsPerClient)
        {
            return JobAdmission.TooManyForClient;
        }

        int done = songs.Count(s => s.ResultJson is not null);
        int succeeded = songs.Count(s => s.ResultJson is not null && s.Succeeded);
        await ExecuteAsync(connection, transaction,
            "INSERT INTO jobs (id, owner, node, state, total, done, succeeded, failed, include_features, created, updated, trace) " +
            "VALUES (@id, @owner, @node, @state, @total, @done, @ok, @failed, @features, @now, @now, @trace)",
            ("id", job.Id), ("owner", job.Owner), ("node", _node), ("state", job.State), ("total", job.Total), ("done", done), ("ok", succeeded),
            ("failed", done - succeeded), ("features", job.IncludeFeatures), ("now", job.Created.ToUniversalTime()), ("trace", job.Trace));

        // Every song in one statement: songs failed at upload take the first completion positions, in order.
        int position = 0;
        int?[] positions = songs.Select(s => s.ResultJson is null ? (int?)null : ++position).ToArray();
        await ExecuteAsync(connection, transaction,
            "INSERT INTO songs (job_id, idx, song_id, path, position, result) " +
            "SELECT @job, s.idx, s.song_id, s.path, s.position, s.result FROM unnest(@idx, @song, @path, @position, @result) AS s (idx, song_id, path, position, result)",
            ("job", job.Id), ("idx", songs.Select(s => s.Index).ToArray()), ("song", songs.Select(s => s.Id).ToArray()),
            ("path", songs.Select(s => s.Path).ToArray()), ("position", positions), ("result", songs.Select(s => s.ResultJson).ToArray()));
        await transaction.CommitAsync(cancellationToken);
        return JobAdmission.Created;
    }

    public async Task<bool> StoreResultAsync(string jobId, int index, string json, bool succeeded, DateTimeOffset now)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync();
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();

        // The job's row first: its lock orders concurrent results (from any node), so positions are 1, 2, … without gaps.
        await using NpgsqlCommand count = Command(connection, transaction,
            "UPDATE jobs SET done = done + 1, succeeded = succeeded + @ok, failed = failed + @failed, updated = @now WHERE id = @job RETURNING done",
            ("ok", succeeded ? 1 : 0), ("failed", succeeded ? 0 : 1), ("now", now.ToUniversalTime()), ("job", jobId));
        if (await count.ExecuteScalarAsync() is not int position)
        {
            return false;
        }

        int stored = await ExecuteAsync(connection, transaction,
            "UPDATE songs SET result = @result, path = NULL, position = @position WHERE job_id = @job AND idx = @idx AND result IS NULL",
            ("result", json), ("position", position), ("job", jobId), ("idx", index));
        if (stored != 1)
        {
            // The song had its result already (a duplicate delivery): the count above is rolled back with it.
            await transaction.RollbackAsync();
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    public Task MarkDispatchedAsync(string jobId, int index) =>
        WriteAsync("UPDATE songs SET path = NULL WHERE job_id = @job AND idx = @idx AND result IS NULL", ("job", jobId), ("idx", index));

    public async Task<bool> CompleteIfDoneAsync(string jobId, DateTimeOffset now, TimeSpan retention) =>
        await WriteAsync(
            $"UPDATE jobs SET state = '{JobState.Completed}', updated = @now, completed = @now, expires = @expires WHERE id = @job AND done >= total AND {IsOpen}",
            ("now", now.ToUniversalTime()), ("expires", (now + retention).ToUniversalTime()), ("job", jobId)) == 1;

    public Task SetStateAsync(string jobId, string state, DateTimeOffset now, TimeSpan? retention = null) => state switch
    {
        JobState.Running => WriteAsync("UPDATE jobs SET state = @state, updated = @now, started = COALESCE(started, @now) WHERE id = @job",
            ("state", state), ("now", now.ToUniversalTime()), ("job", jobId)),
        JobState.Completed when retention is { } keep => WriteAsync("UPDATE jobs SET state = @state, updated = @now, completed = @now, expires = @expires WHERE id = @job",
            ("state", state), ("now", now.ToUniversalTime()), ("expires", (now + keep).ToUniversalTime()), ("job", jobId)),
        _ => WriteAsync("UPDATE jobs SET state = @state, updated = @now WHERE id = @job", ("state", state), ("now", now.ToUniversalTime()), ("job", jobId)),
    };

    public Task DeleteAsync(string jobId) => WriteAsync("DELETE FROM jobs WHERE id = @job", ("job", jobId));

    public void Dispose()
    {
        _source.Dispose();
        _lock?.Dispose();
    }

    private async Task<int> WriteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync();
        return await ExecuteAsync(connection, null, sql, parameters);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlCommand command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> CountAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlCommand command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.Add(value is null ? new NpgsqlParameter(name, DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter(name, value));
        }

        return command;
    }
}
