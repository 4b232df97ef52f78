using Npgsql;

namespace Retention.PostgreSql;

/// <summary>The schema: created and migrated step by step, each step applied once and recorded.</summary>
public sealed partial class PostgresJobStore
{
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var s = _schema;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!_options.ReadOnly)
        {
            // Replicas starting together migrate one after the other; the second finds everything in place.
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock(hashtextextended('retention:migrate:{s.RawSchema}', 0))", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS \"{s.RawSchema}\"", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {s.MigrationsTable} (version integer NOT NULL, jobs_table text NOT NULL, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (version, jobs_table))", cancellationToken).ConfigureAwait(false);
        }

        var columns = await ReadColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var applied = await AppliedStepsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var steps = s.MigrationSteps(createJobsTable: columns.Count == 0, addCleanedColumn: !columns.ContainsKey(s.RawDataCleanedAt), addSizeColumn: !columns.ContainsKey(s.RawDataSizeMb)).ToArray();
        if (_options.ReadOnly)
        {
            if (columns.Count == 0 || steps.Any(step => !applied.Contains(step.Version)) || !columns.ContainsKey(s.RawDataCleanedAt))
            {
                throw new RetentionConfigurationException($"Database '{Database}' is not set up for the store yet (schema \"{s.RawSchema}\", jobs table {s.Jobs}); a read-only store changes nothing, so run once with a store that may write (a host, or a real `retention clean`).");
            }

            return;
        }

        // A step runs once per jobs table: it is recorded with the table it ran for, so mapping another table runs the
        // mapping-dependent steps for it, and a start finds nothing to do (no DDL, no lock on the host's table). A step
        // whose work has gone missing (a column dropped) runs again; every statement is idempotent.
        foreach (var (version, description, statements) in steps)
        {
            var needed = !applied.Contains(version) || (version == 1 && (columns.Count == 0 || !columns.ContainsKey(s.RawDataCleanedAt) || !columns.ContainsKey(s.RawDataSizeMb)));
            if (!needed)
            {
                continue;
            }

            foreach (var statement in statements)
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
            }

            await using var record = Command(connection, transaction, $"INSERT INTO {s.MigrationsTable} (version, jobs_table, description) VALUES (@version, @table, @description) ON CONFLICT DO NOTHING");
            record.Parameters.AddWithValue("version", version);
            record.Parameters.AddWithValue("table", s.Jobs);
            record.Parameters.AddWithValue("description", description);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (columns.Count == 0)
        {
            columns = await ReadColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The jobs table's columns and their types; checks the mapping, and learns the id and status types (and an enum's labels).
    private async Task<Dictionary<string, string>> ReadColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var s = _schema;
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        var enums = new Dictionary<string, uint>(StringComparer.Ordinal);
        await using (var read = Command(connection, transaction, """
            SELECT a.attname::text, format_type(a.atttypid, NULL), t.typtype = 'e', a.atttypid
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
            """))
        {
            read.Parameters.AddWithValue("table", s.Jobs);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns[reader.GetString(0)] = reader.GetString(1);
                if (reader.GetBoolean(2))
                {
                    enums[reader.GetString(0)] = reader.GetFieldValue<uint>(3);
                }
            }
        }

        if (columns.Count == 0)
        {
            return !s.OwnsJobsTable
                ? throw new RetentionConfigurationException($"Database '{Database}' has no table {s.Jobs} (JobCleanup:PostgreSql:Jobs:Schema and :Table name the host's jobs table).")
                : columns;
        }

        var missing = s.RequiredColumns.Where(c => !columns.ContainsKey(c.Value)).Select(c => $"'{c.Value}' (Jobs:{c.Key})").ToArray();
        if (missing.Length > 0)
        {
            throw new RetentionConfigurationException($"The table {s.Jobs} in database '{Database}' has no column {string.Join(", ", missing)}; map the columns with JobCleanup:PostgreSql:Jobs:*.");
        }

        s.IdType = columns[s.RequiredColumns["Id"]];
        s.StatusType = columns[s.RequiredColumns["Status"]];
        if (enums.TryGetValue(s.RequiredColumns["Status"], out var enumType))
        {
            var labels = new HashSet<string>(StringComparer.Ordinal);
            await using var read = Command(connection, transaction, "SELECT enumlabel::text FROM pg_enum WHERE enumtypid = @type");
            read.Parameters.AddWithValue("type", NpgsqlTypes.NpgsqlDbType.Oid, enumType);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                labels.Add(reader.GetString(0));
            }

            // The reaper writes "failed": the enum must have it, or every reap would fail at the database.
            if (!labels.Contains(s.NameOf(JobStatus.Failed)))
            {
                throw new RetentionConfigurationException($"The status column of {s.Jobs} is the enum {s.StatusType}, which has no label '{s.NameOf(JobStatus.Failed)}' for failed jobs ({string.Join(", ", labels)}); map it with JobCleanup:PostgreSql:StatusNames:Failed.");
            }

            s.StatusLabels = labels;
        }

        return columns;
    }

    private async Task<HashSet<int>> AppliedStepsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var applied = new HashSet<int>();
        await using var read = Command(connection, transaction, $"SELECT version FROM {_schema.MigrationsTable} WHERE jobs_table = @table");
        read.Parameters.AddWithValue("table", _schema.Jobs);
        if (_options.ReadOnly && await TableMissingAsync(connection, transaction, _schema.MigrationsTable, cancellationToken).ConfigureAwait(false))
        {
            return applied;
        }

        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied.Add(reader.GetInt32(0));
        }

        return applied;
    }

    private static async Task<bool> TableMissingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT to_regclass(@table) IS NULL");
        command.Parameters.AddWithValue("table", table);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }
}
