using System.Globalization;
using Retention.Cleanup;
using Retention.Stores;
using Retention.Stores.Sql;

namespace Retention.Sqlite;

/// <summary>Run history and storage usage.</summary>
public sealed partial class SqliteJobStore
{
    /// <inheritdoc />
    public async ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (_options.ReadOnly)
        {
            return; // a read-only store (a dry run that must not touch the file) keeps no history
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var insert = Command(connection, transaction, $"INSERT INTO {_schema.Runs} ({RunHistoryRow.Columns}) VALUES ({RunHistoryRow.Parameters})");
                foreach (var (name, value) in RunHistoryRow.Values(report, SqliteTime.Write, flag => flag ? 1 : 0))
                {
                    insert.Parameters.AddWithValue("@" + name, value);
                }

                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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

        // julianday() reads both audit time forms, the classic "2024-01-20 02:00:00" and the store's own ISO text. Holds'
        // rows stay: a hold in force for years keeps who placed it. In batches, each its own short write, so the first
        // trim of a long history does not lock the app's writers out for its whole length.
        var audit = await DeleteInBatchesAsync($"SELECT rowid FROM {_schema.Audit} WHERE julianday(timestamp) < julianday(@cutoff) AND action NOT LIKE 'hold%'", _schema.Audit, SqliteTime.Write(auditBefore), cancellationToken).ConfigureAwait(false);
        var runs = await DeleteInBatchesAsync($"SELECT rowid FROM {_schema.Runs} WHERE julianday(started_at) < julianday(@cutoff)", _schema.Runs, SqliteTime.Write(runsBefore), cancellationToken).ConfigureAwait(false);
        return new RecordsTrimmed(audit, runs);
    }

    private async Task<long> DeleteInBatchesAsync(string select, string table, string cutoff, CancellationToken cancellationToken)
    {
        const int Batch = 10_000;
        long total = 0;
        for (var deleted = Batch; deleted == Batch;)
        {
            deleted = 0;
            await WriteAsync(
                async (connection, transaction) =>
                {
                    await using var delete = Command(connection, transaction, $"DELETE FROM {table} WHERE rowid IN ({select} LIMIT {Batch})");
                    delete.Parameters.AddWithValue("@cutoff", cutoff);
                    deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            total += deleted;
        }

        return total;
    }

    /// <summary>The monitoring query: jobs and megabytes by status where the data is not yet cleaned.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One row per status string.</returns>
    public async Task<IReadOnlyList<StatusUsage>> GetUsageByStatusAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var rows = new List<StatusUsage>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {s.Status}, COUNT(*), COALESCE(SUM({SizeColumn}), 0) FROM {s.Jobs} WHERE {s.DataCleanedAt} IS NULL GROUP BY {s.Status} ORDER BY {s.Status}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StatusUsage(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? string.Empty, reader.GetInt64(1), reader.GetDouble(2)));
        }

        return rows;
    }

    /// <summary>The other monitoring query: jobs cleaned since <paramref name="since"/>, and the megabytes they held.</summary>
    /// <param name="since">The start of the window.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count and megabytes.</returns>
    public async Task<(long Jobs, double Megabytes)> GetCleanedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*), COALESCE(SUM({SizeColumn}), 0) FROM {s.Jobs} WHERE julianday({s.DataCleanedAt}) > julianday(@since)";
        command.Parameters.AddWithValue("@since", SqliteTime.Write(since));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<CleanupRunRecord>();
        if (!_hasRunsTable)
        {
            return runs;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT run_id, trigger, started_at, finished_at, dry_run, outcome, jobs_scanned, jobs_cleaned, jobs_failed, bytes_freed, error, requested_by, {(_hasRequestedFromColumn ? "requested_from" : "NULL")}
            FROM {_schema.Runs}
            WHERE (@before IS NULL OR julianday(started_at) < julianday(@before)
                   OR (julianday(started_at) = julianday(@before) AND @beforeRun IS NOT NULL AND run_id < @beforeRun))
              AND (@trigger IS NULL OR trigger = @trigger)
            ORDER BY julianday(started_at) DESC, run_id DESC LIMIT @count
            """;
        command.Parameters.AddWithValue("@before", query.StartedBefore is { } before ? SqliteTime.Write(before) : DBNull.Value);
        command.Parameters.AddWithValue("@beforeRun", (object?)query.BeforeRunId ?? DBNull.Value);
        command.Parameters.AddWithValue("@trigger", (object?)query.Trigger ?? DBNull.Value);
        command.Parameters.AddWithValue("@count", query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new CleanupRunRecord(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                SqliteTime.Read(reader.GetValue(2))!.Value,
                SqliteTime.Read(reader.GetValue(3)),
                reader.GetInt64(4) != 0,
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

        return runs;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StorageUsage>> GetStorageUsageAsync(CancellationToken cancellationToken = default)
    {
        var usage = await GetUsageByStatusAsync(cancellationToken).ConfigureAwait(false);
        return usage.Select(u => new StorageUsage(u.Status, u.Jobs, (long)Math.Round(u.Megabytes * 1024 * 1024))).ToArray();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ArtifactUsage>> GetArtifactUsageAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var rows = new List<ArtifactUsage>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT a.kind, COUNT(*), COALESCE(SUM(a.size_bytes), 0) FROM {s.Artifacts} a JOIN {s.Jobs} j ON j.{s.Id} = a.job_id WHERE j.{s.DataCleanedAt} IS NULL GROUP BY a.kind ORDER BY a.kind";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ArtifactUsage(new ArtifactKind(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    }

    /// <inheritdoc />
    public string StatusNamesKey => "JobCleanup:Sqlite:StatusNames";

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UnmappedStatusWord>> GetUnmappedStatusWordsAsync(CancellationToken cancellationToken = default)
    {
        var usage = await GetUsageByStatusAsync(cancellationToken).ConfigureAwait(false);
        return usage.Where(u => _schema.StatusOf(u.Status) is null).Select(u => new UnmappedStatusWord(u.Status, u.Jobs)).ToArray();
    }
}
