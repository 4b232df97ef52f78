using Npgsql;
using NpgsqlTypes;
using Retention.Stores;
using Retention.Stores.Sql;

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
    IStorageUsageStore, IArtifactUsageStore, IStatusWordStore, ICleanupCandidateCounter, IJobClaimStore, IJobHoldStore, IRecordTrimStore, IAsyncDisposable, IDisposable
{
    private const int ReferencePageSize = 5000;

    private readonly PostgresJobStoreOptions _options;

    private readonly PostgresSchema _schema;

    private readonly NpgsqlDataSource _dataSource;

    private readonly string _connectionString;

    private readonly InitializeOnce _initialize = new();

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
        await _initialize.RunAsync(ct => PostgresErrors.GuardAsync(() => MigrateAsync(ct)), cancellationToken).ConfigureAwait(false);
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
        StopHeartbeatsAsync().GetAwaiter().GetResult();
        _dataSource.Dispose();
        _initialize.Dispose();
    }

    /// <summary>Closes the store's pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopHeartbeatsAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _initialize.Dispose();
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

    /// <summary>The holds table, quoted and qualified (tests).</summary>
    internal string HoldsTable => _schema.Holds;

    /// <summary>The migrations table, quoted and qualified (tests).</summary>
    internal string MigrationsTable => _schema.MigrationsTable;

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
        // An unmapped status word is never taken for a finished one: it reads as Running, which nothing touches, and says so.
        var word = reader.GetString(1);
        var mapped = _schema.StatusOf(word);
        var status = mapped ?? JobStatus.Running;
        return new JobRecord(reader.GetString(0), status)
        {
            JobType = reader.IsDBNull(2) ? null : reader.GetString(2),
            CreatedAt = ReadTime(reader, 3) ?? DateTimeOffset.MinValue,
            StartedAt = ReadTime(reader, 4),
            CompletedAt = ReadTime(reader, 5),
            ErrorMessage = reader.IsDBNull(6) ? null : reader.GetString(6),
            DataCleanedAt = ReadTime(reader, 7),
            Version = reader.GetInt64(8),
            UnmappedStatus = mapped is null ? word : null,
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
