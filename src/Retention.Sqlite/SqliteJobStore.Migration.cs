using Microsoft.Data.Sqlite;

namespace Retention.Sqlite;

/// <summary>The schema: created and migrated idempotently at first use.</summary>
public sealed partial class SqliteJobStore
{
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(DatabasePath) && (_options.ReadOnly || !_options.CreateIfMissing))
        {
            throw new RetentionConfigurationException($"The database '{DatabasePath}' does not exist.");
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await using var list = connection.CreateCommand();
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteNotADatabase)
        {
            throw new RetentionConfigurationException($"'{DatabasePath}' is not a SQLite database.", ex);
        }

        var s = _schema;
        var hasJobs = tables.Contains(s.RawJobsTable);
        if (!hasJobs && (_options.ReadOnly || !s.IsDefaultJobsTable || tables.Count > 0))
        {
            throw new RetentionConfigurationException($"'{DatabasePath}' has no '{s.RawJobsTable}' table, so it is not a jobs database (set JobCleanup:Sqlite:Jobs:Table to map another table).");
        }

        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (hasJobs)
        {
            await using var info = connection.CreateCommand();
            info.CommandText = $"SELECT name FROM pragma_table_info(@table)";
            info.Parameters.AddWithValue("@table", s.RawJobsTable);
            await using var reader = await info.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add(reader.GetString(0));
            }

            var missing = s.RequiredColumns.Values.Where(c => !columns.Contains(c)).ToArray();
            if (missing.Length > 0)
            {
                throw new RetentionConfigurationException($"The '{s.RawJobsTable}' table in '{DatabasePath}' has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}; map the columns with JobCleanup:Sqlite:Jobs:*.");
            }
        }

        if (_options.ReadOnly)
        {
            if (!columns.Contains(s.RawDataCleanedAt))
            {
                throw new RetentionConfigurationException($"The '{s.RawJobsTable}' table in '{DatabasePath}' has no '{s.RawDataCleanedAt}' column yet; run once without --dry-run (or read-only) to add it.");
            }

            _hasArtifactsTable = tables.Contains(_options.ArtifactsTable);
            _hasRunsTable = tables.Contains(_options.RunsTable);
            _hasHoldsTable = tables.Contains(SqliteSchema.HoldsTableName);
            _hasRequestedFromColumn = _hasRunsTable && (await ColumnsAsync(connection, _options.RunsTable, cancellationToken).ConfigureAwait(false)).Contains("requested_from");
            _hasDataSizeColumn = columns.Contains(s.RawDataSizeMb);
            return;
        }

        await Execute(connection, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var statement in s.CreateStatements(createJobsTable: !hasJobs))
        {
            await Execute(connection, statement, cancellationToken, transaction).ConfigureAwait(false);
        }

        if (hasJobs && !columns.Contains(s.RawDataCleanedAt))
        {
            await Execute(connection, $"ALTER TABLE {s.Jobs} ADD COLUMN {s.DataCleanedAt} TEXT", cancellationToken, transaction).ConfigureAwait(false);
        }

        if (hasJobs && !columns.Contains(s.RawDataSizeMb))
        {
            await Execute(connection, $"ALTER TABLE {s.Jobs} ADD COLUMN {s.DataSizeMb} REAL", cancellationToken, transaction).ConfigureAwait(false);
        }

        // Run histories written before the audit recorded where a request came from.
        if (!(await ColumnsAsync(connection, _options.RunsTable, cancellationToken, transaction).ConfigureAwait(false)).Contains("requested_from"))
        {
            await Execute(connection, $"ALTER TABLE {s.Runs} ADD COLUMN requested_from TEXT", cancellationToken, transaction).ConfigureAwait(false);
        }

        foreach (var statement in s.IndexStatements())
        {
            await Execute(connection, statement, cancellationToken, transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _hasArtifactsTable = true;
        _hasRunsTable = true;
        _hasHoldsTable = true;
        _hasRequestedFromColumn = true;
    }

    private static async Task<HashSet<string>> ColumnsAsync(SqliteConnection connection, string table, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info(@table)";
        command.Parameters.AddWithValue("@table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static async Task Execute(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
