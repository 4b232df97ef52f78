using Microsoft.Data.Sqlite;

namespace Retention.Sqlite;

/// <summary>Holds: the holds table, written with an audit row naming who placed or released each.</summary>
public sealed partial class SqliteJobStore
{
    private const string HoldColumns = "id, owner, reason, created_at, expires_at";

    /// <inheritdoc />
    public async ValueTask AddHoldAsync(JobHold hold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentException.ThrowIfNullOrEmpty(hold.JobId);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var insert = Command(connection, transaction, $"INSERT INTO {_schema.Holds} (job_id, {HoldColumns}) VALUES (@job, @id, @owner, @reason, @created, @until)");
                Set(insert, ("@job", hold.JobId), ("@id", hold.Id), ("@owner", hold.Owner), ("@reason", hold.Reason), ("@created", SqliteTime.Write(hold.CreatedAt)), ("@until", SqliteTime.Write(hold.Until)));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await AuditHoldAsync(connection, transaction, hold.JobId, "hold_added", hold.Owner, hold.CreatedAt, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobHold>> GetHoldsAsync(string? jobId, DateTimeOffset inForceAt, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var holds = new List<JobHold>();
        if (!_hasHoldsTable)
        {
            return holds;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT job_id, {HoldColumns} FROM {_schema.Holds}
            WHERE {(jobId is null ? string.Empty : "job_id = @job AND ")}(expires_at IS NULL OR expires_at > @at)
            ORDER BY job_id, created_at, id
            """;
        Set(command, ("@job", jobId), ("@at", SqliteTime.Write(inForceAt)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            holds.Add(ReadHold(reader, 1));
        }

        return holds;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobHold>> GetHoldsOfJobsAsync(IReadOnlyCollection<string> jobIds, DateTimeOffset inForceAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (!_hasHoldsTable || jobIds.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var byJob = await ReadByJobAsync(connection, jobIds, $"SELECT job_id, {HoldColumns} FROM {_schema.Holds}", reader => ReadHold(reader, 1), cancellationToken).ConfigureAwait(false);
        return [.. byJob.Values.SelectMany(h => h).Where(h => h.IsInForceAt(inForceAt))];
    }

    /// <inheritdoc />
    public async ValueTask<JobHold?> ReleaseHoldAsync(string holdId, string releasedBy, DateTimeOffset releasedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holdId);
        ArgumentNullException.ThrowIfNull(releasedBy);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        JobHold? released = null;
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var delete = Command(connection, transaction, $"DELETE FROM {_schema.Holds} WHERE id = @id RETURNING job_id, {HoldColumns}");
                Set(delete, ("@id", holdId));
                await using (var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    released = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadHold(reader, 1) : null;
                }

                if (released is not null)
                {
                    await AuditHoldAsync(connection, transaction, released.JobId!, "hold_released", releasedBy, releasedAt, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return released;
    }

    // The columns of HoldColumns, from ordinal `first`.
    private static JobHold ReadHold(SqliteDataReader reader, int first) =>
        new(reader.GetString(first + 1), reader.GetString(first + 2), SqliteTime.Read(reader.GetValue(first + 4)))
        {
            Id = reader.GetString(first),
            JobId = reader.GetString(0),
            CreatedAt = SqliteTime.Read(reader.GetValue(first + 3)) ?? DateTimeOffset.MinValue,
        };

    private async Task AuditHoldAsync(SqliteConnection connection, SqliteTransaction transaction, string jobId, string action, string user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var audit = AuditCommand(connection, transaction);
        Set(audit, ("@ts", SqliteTime.Write(at)), ("@job", jobId), ("@action", action), ("@mb", 0), ("@user", user));
        await audit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
