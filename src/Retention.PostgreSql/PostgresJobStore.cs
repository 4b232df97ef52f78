using Npgsql;
using NpgsqlTypes;
using Retention.Stores;

namespace Retention.PostgreSql;

/// <summary>
/// The job store over PostgreSQL, for several instances sharing one database: every store capability, on the store's own
/// <c>retention</c> schema or a host's jobs table mapped by <see cref="PostgresJobStoreOptions"/>. The schema is migrated
/// idempotently at first use (under an advisory lock, so replicas starting together migrate once). Runs claim their
/// candidates with <c>FOR NO KEY UPDATE SKIP LOCKED</c> in short transactions, so replicas share the work and never take the same
/// job; the reaper is one conditional <c>UPDATE</c>; every write is one statement or one short transaction, and errors a
/// retry resolves are reported as <see cref="TransientRetentionException"/> for the engine's retry pipeline.
/// </summary>
public sealed partial class PostgresJobStore :
    IJobStore, IJobPurgeStore, IBulkStaleJobStore, ICleanupRunStore, IJobLookupStore, IReferencedPathStore,
    IStorageUsageStore, ICleanupCandidateCounter, IJobClaimStore, IAsyncDisposable, IDisposable
{
    private const int ReferencePageSize = 5000;
    private readonly PostgresJobStoreOptions _options;
    private readonly PostgresSchema _schema;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates the store. Nothing is opened until first use.</summary>
    /// <param name="options">The connection string and how the jobs table is laid out.</param>
    /// <exception cref="RetentionConfigurationException">A name is not a plain identifier, the connection string is empty or invalid, or another option is invalid.</exception>
    public PostgresJobStore(PostgresJobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        _schema = PostgresSchema.Create(options, errors);
        NpgsqlConnectionStringBuilder? connection = null;
        if (errors.Count == 0)
        {
            try
            {
                // Times are compared and written in UTC whatever the server's default, so a host's "timestamp" columns read as UTC.
                connection = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Timezone = "UTC" };
            }
            catch (ArgumentException ex)
            {
                errors.Add($"JobCleanup:PostgreSql:ConnectionString: {ex.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new RetentionConfigurationException(string.Join(Environment.NewLine, errors));
        }

        _options = options;
        _connectionString = connection!.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(connection);
        Database = connection!.Database ?? connection.Username ?? "postgres";
    }

    /// <summary>The database the store works in, for messages.</summary>
    public string Database { get; }

    /// <summary>Connects and creates or migrates the schema, if that has not happened yet. Every other method does this first.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="RetentionConfigurationException">A mapped jobs table or column does not exist.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initialize.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await PostgresErrors.GuardAsync(() => MigrateAsync(cancellationToken)).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initialize.Release();
        }
    }

    /// <summary>Adds or replaces a job and its artifacts (samples, tests, and hosts that let the store own their jobs).</summary>
    /// <param name="job">The job; its <see cref="JobRecord.Artifacts"/> replace the stored ones.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the job is stored.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One job or many; the optional parameter is only the cancellation token, and the first parameters differ in type.")]
    public Task UpsertAsync(JobRecord job, CancellationToken cancellationToken = default) => UpsertAsync([job], cancellationToken);

    /// <summary>Adds or replaces jobs and their artifacts in one transaction (three statements, whatever the number of jobs).</summary>
    /// <param name="jobs">The jobs.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the jobs are stored.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One job or many; the optional parameter is only the cancellation token, and the first parameters differ in type.")]
    public async Task UpsertAsync(IEnumerable<JobRecord> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        EnsureWritable();
        var list = jobs as IReadOnlyList<JobRecord> ?? jobs.ToArray();
        if (list.Count == 0)
        {
            return;
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var artifacts = list.SelectMany(j => j.Artifacts.Select(a => (Job: j.Id, Artifact: a))).ToArray();
        await InTransactionAsync(
            async (connection, transaction) =>
            {
                await using (var upsert = Command(connection, transaction, $"""
                    INSERT INTO {s.Jobs} ({s.Id}, {s.Status}, {(s.JobType is null ? string.Empty : s.JobType + ", ")}{s.CreatedAt}, {s.StartedAt}, {s.CompletedAt}, {s.ErrorMessage}, {s.DataCleanedAt}, {s.DataSizeMb})
                    SELECT t.id::{s.IdType}, t.status::{s.StatusType}, {(s.JobType is null ? string.Empty : "t.type, ")}t.created, t.started, t.completed, t.error, t.cleaned, t.mb
                    FROM unnest(@ids, @statuses, @types, @created, @started, @completed, @errors, @cleaned, @mbs) AS t(id, status, type, created, started, completed, error, cleaned, mb)
                    ON CONFLICT ({s.Id}) DO UPDATE SET {s.Status} = excluded.{s.Status}, {(s.JobType is null ? string.Empty : $"{s.JobType} = excluded.{s.JobType}, ")}{s.CreatedAt} = excluded.{s.CreatedAt},
                        {s.StartedAt} = excluded.{s.StartedAt}, {s.CompletedAt} = excluded.{s.CompletedAt}, {s.ErrorMessage} = excluded.{s.ErrorMessage},
                        {s.DataCleanedAt} = excluded.{s.DataCleanedAt}, {s.DataSizeMb} = excluded.{s.DataSizeMb}
                    """))
                {
                    upsert.Parameters.Add(Array("ids", list.Select(j => j.Id)));
                    upsert.Parameters.Add(Array("statuses", list.Select(j => s.NameOf(j.Status))));
                    upsert.Parameters.Add(Array("types", list.Select(j => j.JobType)));
                    upsert.Parameters.Add(Times("created", list.Select(j => (DateTimeOffset?)j.CreatedAt)));
                    upsert.Parameters.Add(Times("started", list.Select(j => j.StartedAt)));
                    upsert.Parameters.Add(Times("completed", list.Select(j => j.CompletedAt)));
                    upsert.Parameters.Add(Array("errors", list.Select(j => j.ErrorMessage)));
                    upsert.Parameters.Add(Times("cleaned", list.Select(j => j.DataCleanedAt)));
                    upsert.Parameters.Add(new NpgsqlParameter<double?[]>("mbs", list.Select(j => j.Artifacts.Sum(a => a.SizeBytes ?? 0) is > 0 and var b ? Math.Round(b / 1048576.0, 3) : (double?)null).ToArray()));
                    await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var clear = Command(connection, transaction, $"DELETE FROM {s.Artifacts} WHERE job_id = ANY(@ids)"))
                {
                    clear.Parameters.Add(Array("ids", list.Select(j => j.Id)));
                    await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using var insert = Command(connection, transaction, $"""
                    INSERT INTO {s.Artifacts} (job_id, kind, path, size_bytes)
                    SELECT * FROM unnest(@jobs, @kinds, @paths, @sizes)
                    ON CONFLICT (job_id, path) DO UPDATE SET kind = excluded.kind, size_bytes = excluded.size_bytes
                    """);
                insert.Parameters.Add(Array("jobs", artifacts.Select(a => a.Job)));
                insert.Parameters.Add(Array("kinds", artifacts.Select(a => a.Artifact.Kind.Name)));
                insert.Parameters.Add(Array("paths", artifacts.Select(a => a.Artifact.Path)));
                insert.Parameters.Add(new NpgsqlParameter<long?[]>("sizes", artifacts.Select(a => a.Artifact.SizeBytes).ToArray()));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the store's pooled connections.</summary>
    public void Dispose()
    {
        _dataSource.Dispose();
        _initialize.Dispose();
    }

    /// <summary>Closes the store's pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _initialize.Dispose();
    }

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

        var missing = s.RawColumns.Where(c => !columns.ContainsKey(c.Value)).Select(c => $"'{c.Value}' (Jobs:{c.Key})").ToArray();
        if (missing.Length > 0)
        {
            throw new RetentionConfigurationException($"The table {s.Jobs} in database '{Database}' has no column {string.Join(", ", missing)}; map the columns with JobCleanup:PostgreSql:Jobs:*.");
        }

        s.IdType = columns[s.RawColumns["Id"]];
        s.StatusType = columns[s.RawColumns["Status"]];
        if (enums.TryGetValue(s.RawColumns["Status"], out var enumType))
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

    /// <summary>The store's connection settings (UTC time zone included), for the leader locks that work beside it.</summary>
    internal NpgsqlConnectionStringBuilder ConnectionSettings => new(_connectionString);

    /// <summary>The store's schema, which scopes its leader locks: two deployments in one database never share one.</summary>
    internal string SchemaName => _schema.RawSchema;

    /// <summary>The leader lease table.</summary>
    internal string LeasesTable => _schema.Leases;

    /// <summary>The jobs table, quoted and qualified (tests).</summary>
    internal string JobsTable => _schema.Jobs;

    /// <summary>The claims table, quoted and qualified (tests).</summary>
    internal string ClaimsTable => _schema.Claims;

    /// <summary>The audit table, quoted and qualified (tests).</summary>
    internal string AuditTable => _schema.Audit;

    private void EnsureWritable()
    {
        if (_options.ReadOnly)
        {
            throw new RetentionConfigurationException($"The store for database '{Database}' is read-only; it cannot be written.");
        }
    }

    internal async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    // One short transaction, retried whole by the engine when the error is transient.
    private Task InTransactionAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken) =>
        PostgresErrors.GuardAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        });

    // One statement on a pooled connection; the statement is its own transaction.
    private Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken) =>
        PostgresErrors.GuardAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        });

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) => new(sql, connection, transaction);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter<string?[]> Array(string name, IEnumerable<string?> values) => new(name, values.ToArray());

    private static NpgsqlParameter<DateTime?[]> Times(string name, IEnumerable<DateTimeOffset?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = values.Select(v => v?.UtcDateTime).ToArray() };

    private static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value?.UtcDateTime ?? DBNull.Value };

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static DateTimeOffset? ReadTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    // The columns of PostgresSchema.JobColumns, from ordinal 0.
    private JobRecord ReadJob(NpgsqlDataReader reader)
    {
        // An unknown status string is never taken for a finished one: it reads as Running, which nothing touches.
        var status = _schema.StatusOf(reader.GetString(1)) ?? JobStatus.Running;
        return new JobRecord(reader.GetString(0), status)
        {
            JobType = reader.IsDBNull(2) ? null : reader.GetString(2),
            CreatedAt = ReadTime(reader, 3) ?? DateTimeOffset.MinValue,
            StartedAt = ReadTime(reader, 4),
            CompletedAt = ReadTime(reader, 5),
            ErrorMessage = reader.IsDBNull(6) ? null : reader.GetString(6),
            DataCleanedAt = ReadTime(reader, 7),
            Version = reader.GetInt64(8),
        };
    }

    private async Task<List<JobRecord>> ReadJobsAsync(NpgsqlCommand command, bool withRank, CancellationToken cancellationToken)
    {
        var jobs = new List<JobRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var job = ReadJob(reader);
                jobs.Add(withRank && !reader.IsDBNull(9) ? job with { NewerJobsOfSameType = (int)reader.GetInt64(9) } : job);
            }
        }

        return await WithArtifactsAsync(command.Connection!, jobs, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<JobRecord>> WithArtifactsAsync(NpgsqlConnection connection, List<JobRecord> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return jobs;
        }

        var byJob = new Dictionary<string, List<JobArtifact>>(StringComparer.Ordinal);
        await using var command = Command(connection, null, $"SELECT job_id, kind, path, size_bytes FROM {_schema.Artifacts} WHERE job_id = ANY(@ids)");
        command.Parameters.Add(Array("ids", jobs.Select(j => j.Id)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            if (!byJob.TryGetValue(id, out var list))
            {
                byJob[id] = list = [];
            }

            list.Add(new JobArtifact(new ArtifactKind(reader.GetString(1)), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return byJob.Count == 0 ? jobs : jobs.ConvertAll(j => byJob.TryGetValue(j.Id, out var a) ? j with { Artifacts = a } : j);
    }
}
