using Npgsql;

namespace Retention.PostgreSql;

/// <summary>Holds: the holds table, written with an audit row naming who placed or released each.</summary>
public sealed partial class PostgresJobStore
{
    private const string HoldColumns = "job_id, id, owner, reason, created_at, expires_at";

    /// <inheritdoc />
    public async ValueTask AddHoldAsync(JobHold hold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentException.ThrowIfNullOrEmpty(hold.JobId);
        EnsureWritable();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await WithConnectionAsync(
            async connection =>
            {
                // One statement: the hold and its audit row are stored together or not at all.
                await using var command = Command(connection, null, $"""
                    WITH added AS (
                        INSERT INTO {s.Holds} ({HoldColumns}) VALUES (@job, @id, @owner, @reason, @created, @until) RETURNING job_id)
                    INSERT INTO {s.Audit} ("timestamp", job_id, action, space_freed_mb, "user") SELECT @created, job_id, 'hold_added', 0, @owner FROM added
                    """);
                command.Parameters.Add(Text("job", hold.JobId));
                command.Parameters.Add(Text("id", hold.Id));
                command.Parameters.Add(Text("owner", hold.Owner));
                command.Parameters.Add(Text("reason", hold.Reason));
                command.Parameters.Add(Time("created", hold.CreatedAt));
                command.Parameters.Add(Time("until", hold.Until));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobHold>> GetHoldsAsync(string? jobId, DateTimeOffset inForceAt, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"""
                    SELECT {HoldColumns} FROM {_schema.Holds}
                    WHERE (@job::text IS NULL OR job_id = @job) AND (expires_at IS NULL OR expires_at > @at)
                    ORDER BY job_id, created_at, id
                    """);
                command.Parameters.Add(Text("job", jobId));
                command.Parameters.Add(Time("at", inForceAt));
                return await ReadHoldsAsync(command, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobHold>> GetHoldsOfJobsAsync(IReadOnlyCollection<string> jobIds, DateTimeOffset inForceAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0)
        {
            return [];
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"SELECT {HoldColumns} FROM {_schema.Holds} WHERE job_id = ANY(@ids) AND (expires_at IS NULL OR expires_at > @at)");
                command.Parameters.Add(Array("ids", jobIds));
                command.Parameters.Add(Time("at", inForceAt));
                return await ReadHoldsAsync(command, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<JobHold?> ReleaseHoldAsync(string holdId, string releasedBy, DateTimeOffset releasedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holdId);
        ArgumentNullException.ThrowIfNull(releasedBy);
        EnsureWritable();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var released = await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"""
                    WITH released AS (DELETE FROM {s.Holds} WHERE id = @id RETURNING {HoldColumns}),
                    audited AS (
                        INSERT INTO {s.Audit} ("timestamp", job_id, action, space_freed_mb, "user") SELECT @at, job_id, 'hold_released', 0, @by FROM released)
                    SELECT {HoldColumns} FROM released
                    """);
                command.Parameters.Add(Text("id", holdId));
                command.Parameters.Add(Text("by", releasedBy));
                command.Parameters.Add(Time("at", releasedAt));
                return await ReadHoldsAsync(command, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return released.Count == 0 ? null : released[0];
    }

    // Every hold of the jobs, expired or not: the policy decides at its own time which are in force.
    private async Task<List<JobRecord>> WithHoldsAsync(NpgsqlConnection connection, List<JobRecord> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return jobs;
        }

        await using var command = Command(connection, null, $"SELECT {HoldColumns} FROM {_schema.Holds} WHERE job_id = ANY(@ids) ORDER BY job_id, created_at, id");
        command.Parameters.Add(Array("ids", jobs.Select(j => j.Id)));
        var byJob = (await ReadHoldsAsync(command, cancellationToken).ConfigureAwait(false)).GroupBy(h => h.JobId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        return byJob.Count == 0 ? jobs : jobs.ConvertAll(j => byJob.TryGetValue(j.Id, out var h) ? j with { Holds = h } : j);
    }

    // The columns of HoldColumns.
    private static async Task<List<JobHold>> ReadHoldsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var holds = new List<JobHold>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            holds.Add(new JobHold(reader.GetString(2), reader.GetString(3), ReadTime(reader, 5))
            {
                JobId = reader.GetString(0),
                Id = reader.GetString(1),
                CreatedAt = ReadTime(reader, 4) ?? DateTimeOffset.MinValue,
            });
        }

        return holds;
    }
}
