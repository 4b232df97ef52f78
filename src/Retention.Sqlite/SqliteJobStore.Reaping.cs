using System.Runtime.CompilerServices;
using Retention.Stores;

namespace Retention.Sqlite;

/// <summary>Stale jobs: the reaper's stream and its compare-and-set.</summary>
public sealed partial class SqliteJobStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetStaleJobsAsync(StaleJobQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var statuses = s.WordsOf(query.Statuses);
        var jobs = new List<JobRecord>();
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {s.JobColumns}, NULL FROM {s.Jobs}
                WHERE {s.Status} IN ({string.Join(", ", statuses.Select((_, i) => "@s" + i))})
                  AND (@cutoff IS NULL OR julianday(COALESCE({s.StartedAt}, {s.CreatedAt})) < julianday(@cutoff))
                ORDER BY COALESCE({s.StartedAt}, {s.CreatedAt})
                """;
            for (var i = 0; i < statuses.Length; i++)
            {
                command.Parameters.AddWithValue("@s" + i, statuses[i]);
            }

            command.Parameters.AddWithValue("@cutoff", SqliteTime.Write(query.StartedBefore));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(ReadJob(reader));
            }
        }

        foreach (var job in jobs)
        {
            yield return job;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryFailJobAsync(JobFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var failed = false;
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var update = Command(connection, transaction, $"""
                    UPDATE {s.Jobs} SET {s.Status} = @failed, {s.ErrorMessage} = @message, {s.CompletedAt} = @at
                    WHERE {s.Id} = @id AND {s.WrittenStatus()} = @expected
                    """);
                Set(update, ("@failed", s.NameOf(JobStatus.Failed)), ("@message", failure.ErrorMessage), ("@at", SqliteTime.Write(failure.CompletedAt)), ("@id", failure.JobId), ("@expected", s.NameOf(failure.ExpectedStatus)));
                failed = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
                if (failed)
                {
                    await using var audit = AuditCommand(connection, transaction);
                    Set(audit, ("@ts", SqliteTime.Write(failure.CompletedAt)), ("@job", failure.JobId), ("@action", "failed_stale_job"), ("@mb", 0), ("@user", "auto_cleanup"));
                    await audit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return failed;
    }
}
