using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Retention.Stores;

namespace Retention.Docs.Snippets;

/// <summary>
/// The worked example of docs/stores.md: a store over a host's own SQLite tables, <c>tasks</c> and <c>task_files</c>,
/// whose names and status words are not the seed's. The store contract suite runs against it (MyJobStoreContractTests).
/// </summary>
public sealed class MyJobStore(string connectionString) : IJobStore, IStaleJobStore, IJobPurgeStore, IJobLookupStore, IReferencedPathStore
{
    // The host's words for each status: tasks.state holds queued, running, done, error or cancelled.
    private static readonly Dictionary<JobStatus, string> States = new()
    {
        [JobStatus.Pending] = "queued", [JobStatus.Scheduled] = "queued", [JobStatus.Running] = "running",
        [JobStatus.Succeeded] = "done", [JobStatus.Failed] = "error", [JobStatus.Cancelled] = "cancelled",
    };

    private const string Columns = "task_id, state, kind, submitted_at, started_at, finished_at, error, data_cleaned_at";

    public async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(
        CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Keyset pages in id order: one page in memory, and marking jobs cleaned meanwhile cannot shift a page.
        var states = query.Statuses.Select(s => States[s]).Distinct().ToArray();
        string? after = null;
        while (true)
        {
            var page = await QueryAsync(
                $"""
                SELECT {Columns} FROM tasks
                WHERE data_cleaned_at IS NULL AND state IN ({string.Join(", ", states.Select((_, i) => "@s" + i))})
                  AND COALESCE(finished_at, started_at, submitted_at) < @cutoff AND (@after IS NULL OR task_id > @after)
                ORDER BY task_id LIMIT @limit
                """,
                [.. states.Select((s, i) => ("@s" + i, (object?)s)), ("@cutoff", Time(query.FinishedBefore)), ("@after", after), ("@limit", query.BatchSize)],
                cancellationToken);
            foreach (var job in page)
            {
                yield return job;
            }

            if (page.Count < query.BatchSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    public async ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        // One transaction per batch; a job whose state changed since it was planned is left alone.
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        foreach (var job in jobs)
        {
            await ExecuteAsync(connection, transaction, "UPDATE tasks SET data_cleaned_at = @at WHERE task_id = @id AND state = @state AND data_cleaned_at IS NULL",
                [("@at", Time(job.CleanedAt)), ("@id", job.JobId), ("@state", States[job.ExpectedStatus])], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async IAsyncEnumerable<JobRecord> GetStaleJobsAsync(StaleJobQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var states = query.Statuses.Select(s => States[s]).Distinct().ToArray();
        var jobs = await QueryAsync(
            $"SELECT {Columns} FROM tasks WHERE state IN ({string.Join(", ", states.Select((_, i) => "@s" + i))}) AND (@cutoff IS NULL OR COALESCE(started_at, submitted_at) < @cutoff)",
            [.. states.Select((s, i) => ("@s" + i, (object?)s)), ("@cutoff", query.StartedBefore is { } cutoff ? Time(cutoff) : null)],
            cancellationToken);
        foreach (var job in jobs)
        {
            yield return job;
        }
    }

    public async ValueTask<bool> TryFailJobAsync(JobFailure failure, CancellationToken cancellationToken = default)
    {
        // Compare-and-set: a job that completed since the reaper saw it is not failed.
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "UPDATE tasks SET state = 'error', error = @message, finished_at = @at WHERE task_id = @id AND state = @expected",
            [("@message", failure.ErrorMessage), ("@at", Time(failure.CompletedAt)), ("@id", failure.JobId), ("@expected", States[failure.ExpectedStatus])], cancellationToken) == 1;
    }

    public async ValueTask PurgeJobsAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        foreach (var job in jobs)
        {
            if (await ExecuteAsync(connection, transaction, "DELETE FROM tasks WHERE task_id = @id AND state = @state", [("@id", job.JobId), ("@state", States[job.ExpectedStatus])], cancellationToken) == 1)
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM task_files WHERE task_id = @id", [("@id", job.JobId)], cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {Columns} FROM tasks WHERE task_id = @id", [("@id", jobId)], cancellationToken)).SingleOrDefault();

    public IAsyncEnumerable<string> GetAllJobIdsAsync(CancellationToken cancellationToken = default) => ColumnAsync("SELECT task_id FROM tasks", cancellationToken);

    public IAsyncEnumerable<string> GetAllArtifactPathsAsync(CancellationToken cancellationToken = default) => ColumnAsync("SELECT path FROM task_files", cancellationToken);

    private async Task<List<JobRecord>> QueryAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var jobs = new List<JobRecord>();
        await using (var command = Command(connection, null, sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = reader.GetString(1);
                jobs.Add(new JobRecord(reader.GetString(0), States.FirstOrDefault(s => s.Value == state, new(JobStatus.Running, state)).Key)
                {
                    JobType = reader.IsDBNull(2) ? null : reader.GetString(2),
                    CreatedAt = ReadTime(reader, 3) ?? DateTimeOffset.MinValue,
                    StartedAt = ReadTime(reader, 4),
                    CompletedAt = ReadTime(reader, 5),
                    ErrorMessage = reader.IsDBNull(6) ? null : reader.GetString(6),
                    DataCleanedAt = ReadTime(reader, 7),
                });
            }
        }

        // The files the host recorded for each job; conventions (uploads/{id}_*, results/{id}/) add the rest.
        for (var i = 0; i < jobs.Count; i++)
        {
            var files = new List<JobArtifact>();
            await using var command = Command(connection, null, "SELECT kind, path, size_bytes FROM task_files WHERE task_id = @id", [("@id", jobs[i].Id)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                files.Add(new JobArtifact(new ArtifactKind(reader.GetString(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
            }

            jobs[i] = jobs[i] with { Artifacts = files };
        }

        return jobs;
    }

    private async IAsyncEnumerable<string> ColumnAsync(string sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return reader.GetString(0);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    // Times as ISO-8601 UTC text, which sorts and compares as time.
    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
