using System.Runtime.CompilerServices;
using Npgsql;
using Retention.Stores;

namespace Retention.PostgreSql;

/// <summary>The stale-job reaper's capability: one conditional update, so a job that completes meanwhile is never failed.</summary>
public sealed partial class PostgresJobStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetStaleJobsAsync(StaleJobQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var jobs = await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"""
                    SELECT {s.JobColumns("j")} FROM {s.Jobs} j
                    WHERE {StaleFilter}
                    ORDER BY COALESCE(j.{s.StartedAt}, j.{s.CreatedAt})
                    """);
                AddStaleParameters(command, query);
                return await ReadJobsAsync(command, withRank: false, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            yield return job;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryFailJobAsync(JobFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        EnsureWritable();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        return await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"""
                    WITH failed AS (
                        UPDATE {s.Jobs} SET {s.Status} = @failed::{s.StatusType}, {s.ErrorMessage} = @message, {s.CompletedAt} = @at
                        WHERE {s.Id} = @id::{s.IdType} AND {s.WrittenStatus()} = @expected
                        RETURNING {s.Id}::text AS id),
                    audited AS (
                        INSERT INTO {s.Audit} ("timestamp", job_id, action, space_freed_mb, "user")
                        SELECT @at, id, 'failed_stale_job', 0, 'auto_cleanup' FROM failed)
                    SELECT count(*) FROM failed
                    """);
                command.Parameters.Add(Text("failed", s.NameOf(JobStatus.Failed)));
                command.Parameters.Add(Text("message", failure.ErrorMessage));
                command.Parameters.Add(Time("at", failure.CompletedAt));
                command.Parameters.Add(Text("id", failure.JobId));
                command.Parameters.Add(Text("expected", s.NameOf(failure.ExpectedStatus)));
                return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: the stale rows are locked and failed by one conditional <c>UPDATE ... RETURNING</c>. A job whose
    /// completion commits first no longer matches (PostgreSQL re-checks the condition on the row it waited for); one whose
    /// completion comes after finds it failed. Rows another transaction holds are skipped, not waited for; the next pass takes them.
    /// </remarks>
    public async ValueTask<IReadOnlyList<JobRecord>> FailStaleJobsAsync(StaleJobQuery query, DateTimeOffset completedAt, Func<JobRecord, string> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(message);
        EnsureWritable();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var failed = new List<JobRecord>();
        await InTransactionAsync(
            async (connection, transaction) =>
            {
                failed.Clear();
                await using (var update = Command(connection, transaction, $"""
                    WITH stale AS (
                        SELECT j.{s.Id} AS key, {s.JobColumns("j")} FROM {s.Jobs} j
                        WHERE {StaleFilter}
                        FOR NO KEY UPDATE SKIP LOCKED)
                    UPDATE {s.Jobs} j SET {s.Status} = @failed::{s.StatusType}, {s.CompletedAt} = @at
                    FROM stale
                    WHERE j.{s.Id} = stale.key AND {StaleFilter}
                    RETURNING {PostgresSchema.JobColumnNames("stale")}
                    """))
                {
                    AddStaleParameters(update, query);
                    update.Parameters.Add(Text("failed", s.NameOf(JobStatus.Failed)));
                    update.Parameters.Add(Time("at", completedAt));
                    await using var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        failed.Add(ReadJob(reader));
                    }
                }

                if (failed.Count == 0)
                {
                    return;
                }

                // The messages name each job's runtime as operators know them; written in the same transaction, so no one sees a failed job without one.
                await using var messages = Command(connection, transaction, $"""
                    WITH input AS (SELECT * FROM unnest(@ids, @messages) AS t(id, message)),
                    written AS (
                        UPDATE {s.Jobs} j SET {s.ErrorMessage} = i.message FROM input i WHERE j.{s.Id} = i.id::{s.IdType})
                    INSERT INTO {s.Audit} ("timestamp", job_id, action, space_freed_mb, "user")
                    SELECT @at, id, 'failed_stale_job', 0, 'auto_cleanup' FROM input
                    """);
                messages.Parameters.Add(Array("ids", failed.Select(j => j.Id)));
                messages.Parameters.Add(Array("messages", failed.Select(message)));
                messages.Parameters.Add(Time("at", completedAt));
                await messages.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return failed;
    }

    private string StaleFilter =>
        $"j.{_schema.Status} = ANY(@statuses::{_schema.StatusType}[]) AND (@cutoff::timestamptz IS NULL OR COALESCE(j.{_schema.StartedAt}, j.{_schema.CreatedAt}) < @cutoff)";

    private void AddStaleParameters(NpgsqlCommand command, StaleJobQuery query)
    {
        command.Parameters.Add(Array("statuses", _schema.NamesOf(query.Statuses)));
        command.Parameters.Add(Time("cutoff", query.StartedBefore));
    }
}
