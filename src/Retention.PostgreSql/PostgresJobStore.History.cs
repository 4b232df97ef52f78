using System.Runtime.CompilerServices;
using Retention.Cleanup;
using Retention.Stores;
using Retention.Stores.Sql;

namespace Retention.PostgreSql;

/// <summary>Run history, storage usage, lookups, and the references the orphan sweep needs.</summary>
public sealed partial class PostgresJobStore
{
    /// <inheritdoc />
    public async ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (_options.ReadOnly)
        {
            return; // a read-only store (a preview with a role that may only read) keeps no history
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await WithConnectionAsync(
            async connection =>
            {
                await using var insert = Command(connection, null, $"""
                    INSERT INTO {_schema.Runs} ({RunHistoryRow.Columns})
                    VALUES ({RunHistoryRow.Parameters})
                    ON CONFLICT (run_id) DO NOTHING
                    """);
                foreach (var (name, value) in RunHistoryRow.Values(report, time => time.UtcDateTime, flag => flag))
                {
                    insert.Parameters.AddWithValue(name, value);
                }

                return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<RecordsTrimmed> TrimRecordsAsync(DateTimeOffset auditBefore, DateTimeOffset runsBefore, CancellationToken cancellationToken = default)
    {
        if (_options.ReadOnly)
        {
            return new RecordsTrimmed(0, 0);
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var audit = await WithConnectionAsync(
            async connection =>
            {
                await using var trim = Command(connection, null, $"DELETE FROM {_schema.Audit} WHERE \"timestamp\" < @cutoff AND action NOT LIKE 'hold%'");
                trim.Parameters.AddWithValue("cutoff", auditBefore.UtcDateTime);
                return await trim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        var runs = await WithConnectionAsync(
            async connection =>
            {
                await using var trim = Command(connection, null, $"DELETE FROM {_schema.Runs} WHERE started_at < @cutoff");
                trim.Parameters.AddWithValue("cutoff", runsBefore.UtcDateTime);
                return await trim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new RecordsTrimmed(audit, runs);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await WithConnectionAsync(
            async connection =>
            {
                // Run ids compare byte-wise (COLLATE "C"), as the other stores compare them, whatever the database's collation.
                await using var command = Command(connection, null, $"""
                    SELECT run_id, trigger, started_at, finished_at, dry_run, outcome, jobs_scanned, jobs_cleaned, jobs_failed, bytes_freed, error, requested_by, requested_from
                    FROM {_schema.Runs}
                    WHERE (@before::timestamptz IS NULL OR started_at < @before
                           OR (started_at = @before AND @beforeRun::text IS NOT NULL AND run_id COLLATE "C" < @beforeRun))
                      AND (@trigger::text IS NULL OR trigger = @trigger)
                    ORDER BY started_at DESC, run_id COLLATE "C" DESC
                    LIMIT @count
                    """);
                command.Parameters.Add(Time("before", query.StartedBefore));
                command.Parameters.Add(Text("beforeRun", query.BeforeRunId));
                command.Parameters.Add(Text("trigger", query.Trigger));
                command.Parameters.AddWithValue("count", query.Limit);
                var runs = new List<CleanupRunRecord>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    runs.Add(new CleanupRunRecord(
                        reader.GetString(0),
                        reader.IsDBNull(1) ? null : reader.GetString(1),
                        ReadTime(reader, 2)!.Value,
                        ReadTime(reader, 3),
                        reader.GetBoolean(4),
                        reader.GetString(5),
                        reader.GetInt64(6),
                        reader.GetInt64(7),
                        reader.GetInt64(8),
                        reader.GetInt64(9),
                        reader.IsDBNull(10) ? null : reader.GetString(10))
                    {
                        RequestedBy = reader.IsDBNull(11) ? null : reader.GetString(11),
                        RequestedFrom = reader.IsDBNull(12) ? null : reader.GetString(12),
                    });
                }

                return (IReadOnlyList<CleanupRunRecord>)runs;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ArtifactUsage>> GetArtifactUsageAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        return await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"""
                    SELECT a.kind, count(*), COALESCE(sum(a.size_bytes), 0)::bigint
                    FROM {s.Artifacts} a JOIN {s.Jobs} j ON j.{s.Id}::text = a.job_id
                    WHERE j.{s.DataCleanedAt} IS NULL GROUP BY a.kind ORDER BY 1
                    """);
                var usage = new List<ArtifactUsage>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    usage.Add(new ArtifactUsage(new ArtifactKind(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2)));
                }

                return (IReadOnlyList<ArtifactUsage>)usage;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StorageUsage>> GetStorageUsageAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        return await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"""
                    SELECT {s.Status}::text, count(*), COALESCE(sum({s.DataSizeMb}), 0)::double precision
                    FROM {s.Jobs} WHERE {s.DataCleanedAt} IS NULL GROUP BY {s.Status} ORDER BY 1
                    """);
                var usage = new List<StorageUsage>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    usage.Add(new StorageUsage(reader.GetString(0), reader.GetInt64(1), (long)Math.Round(reader.GetDouble(2) * 1048576)));
                }

                return (IReadOnlyList<StorageUsage>)usage;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The monitoring query: jobs cleaned since <paramref name="since"/>, and the megabytes they held.</summary>
    /// <param name="since">The start of the window.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count and megabytes.</returns>
    public async Task<(long Jobs, double Megabytes)> GetCleanedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        return await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"SELECT count(*), COALESCE(sum({s.DataSizeMb}), 0)::double precision FROM {s.Jobs} WHERE {s.DataCleanedAt} > @since");
                command.Parameters.Add(Time("since", since));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return (reader.GetInt64(0), reader.GetDouble(1));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        if (!s.CanBeId(jobId))
        {
            return null;
        }

        return await WithConnectionAsync(
            async connection =>
            {
                // Compared in the column's own type, so its index is used; an id that cannot be one (a word for an integer id) is not found.
                await using var command = Command(connection, null, $"SELECT {s.JobColumns("j")} FROM {s.Jobs} j WHERE j.{s.Id} = @id::{s.IdType}");
                command.Parameters.Add(Text("id", jobId));
                return (await WithHoldsAsync(connection, await ReadJobsAsync(command, withRank: false, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> GetAllJobIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await foreach (var id in StreamColumnAsync($"SELECT {s.Id}::text FROM {s.Jobs} WHERE @after::text IS NULL OR {s.Id} > @after::{s.IdType} ORDER BY {s.Id} LIMIT {ReferencePageSize}", cancellationToken).ConfigureAwait(false))
        {
            yield return id;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> GetAllArtifactPathsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var path in StreamColumnAsync($"SELECT path FROM {_schema.Artifacts} WHERE @after::text IS NULL OR path > @after ORDER BY path LIMIT {ReferencePageSize}", cancellationToken).ConfigureAwait(false))
        {
            yield return path;
        }
    }

    // Keyset pages of one text column: the query takes @after and returns the column in order, a page at a time.
    private async IAsyncEnumerable<string> StreamColumnAsync(string sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var page = await WithConnectionAsync(
                async connection =>
                {
                    await using var command = Command(connection, null, sql);
                    command.Parameters.Add(Text("after", after));
                    var values = new List<string>(ReferencePageSize);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        values.Add(reader.GetString(0));
                    }

                    return values;
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var value in page)
            {
                yield return value;
            }

            if (page.Count < ReferencePageSize)
            {
                yield break;
            }

            after = page[^1];
        }
    }

    /// <inheritdoc />
    public string StatusNamesKey => "JobCleanup:PostgreSql:StatusNames";

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UnmappedStatusWord>> GetUnmappedStatusWordsAsync(CancellationToken cancellationToken = default)
    {
        var usage = await GetStorageUsageAsync(cancellationToken).ConfigureAwait(false);
        return usage.Where(u => _schema.StatusOf(u.Status) is null).Select(u => new UnmappedStatusWord(u.Status, u.Jobs)).ToArray();
    }
}
