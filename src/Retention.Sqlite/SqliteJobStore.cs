using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Retention.Cleanup;
using Retention.Stores;

namespace Retention.Sqlite;

/// <summary>
/// The embedded job store over SQLite: every store capability, on the seed's <c>jobs.db</c> schema or a host's own jobs
/// table mapped by <see cref="SqliteJobStoreOptions"/>. The schema is created and migrated idempotently at first use;
/// writes go in short <c>BEGIN IMMEDIATE</c> transactions; a locked database is waited on up to
/// <see cref="SqliteJobStoreOptions.BusyTimeout"/>, then reported as transient so the whole batch is retried.
/// </summary>
public sealed class SqliteJobStore : IJobCleanupStore, IJobPurgeStore, IStaleJobStore, ICleanupRunStore, IJobLookupStore, IReferencedPathStore, IStorageUsageStore, ICleanupCandidateCounter, IDisposable
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNotADatabase = 26;

    private readonly SqliteJobStoreOptions _options;
    private readonly SqliteSchema _schema;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private volatile bool _initialized;
    private bool _hasArtifactsTable;
    private bool _hasRunsTable;
    private bool _hasRequestedFromColumn;
    private bool _hasDataSizeColumn = true;

    /// <summary>Creates the store. Nothing is opened until first use.</summary>
    /// <param name="options">Where the database is and how its jobs table is laid out.</param>
    /// <exception cref="RetentionConfigurationException">A table or column name is not a plain identifier, or another option is invalid.</exception>
    public SqliteJobStore(SqliteJobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        _schema = SqliteSchema.Create(options, errors);
        if (errors.Count > 0)
        {
            throw new RetentionConfigurationException(string.Join(Environment.NewLine, errors));
        }

        _options = options;
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            // Read-only opens read-write with PRAGMA query_only: a truly read-only connection to a WAL database leaves
            // -wal and -shm files behind, while the last read-write connection to close removes them.
            Mode = options.ReadOnly || !options.CreateIfMissing ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
            Pooling = true,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens the database and creates or migrates the schema, if that has not happened yet. Every other method does this first.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="RetentionConfigurationException">The file is missing, is not a SQLite database, or has no usable jobs table.</exception>
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
                await Transient(() => MigrateAsync(cancellationToken)).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initialize.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var rank = query.IncludeRanks
            ? $", (SELECT COUNT(*) FROM {s.Jobs} n WHERE n.{s.Status} = j.{s.Status} {(s.JobType is null ? string.Empty : $"AND n.{s.JobType} IS j.{s.JobType}")} AND COALESCE(n.{s.CompletedAt}, n.{s.StartedAt}, n.{s.CreatedAt}) > COALESCE(j.{s.CompletedAt}, j.{s.StartedAt}, j.{s.CreatedAt}))"
            : ", NULL";
        var sql = $"""
            SELECT {s.JobColumns}{rank}
            FROM {await CandidateSourceAsync(cancellationToken).ConfigureAwait(false)}
            WHERE @@filter@@ @@after@@
            ORDER BY {s.Id}
            LIMIT @limit
            """;

        // Keyset pagination in id order: one page in memory at a time, and marking jobs cleaned meanwhile cannot shift a page.
        object? after = null;
        // Pages of at least 1,000 rows whatever the engine's batch: each page costs a connection, two statements and a round
        // of parameters, which at 100 jobs a page was a third of the stream's time.
        var pageSize = Math.Clamp(Math.Max(query.BatchSize, 1000), 1, 10_000);
        while (true)
        {
            var page = new List<JobRecord>(pageSize);
            object? lastId = null;
            await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                await using var command = connection.CreateCommand();
                // No lower bound on the first page: ids may be integers, which SQLite sorts below any text.
                command.CommandText = sql.Replace("@@filter@@", CandidateFilter(command, query), StringComparison.Ordinal)
                    .Replace("@@after@@", after is null ? string.Empty : $"AND {s.Id} > @after", StringComparison.Ordinal);
                if (after is not null)
                {
                    command.Parameters.AddWithValue("@after", after);
                }

                command.Parameters.AddWithValue("@limit", pageSize);
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        // Each column read is a call into SQLite: the id is read once, and a candidate's data_cleaned_at is null by the filter.
                        lastId = reader.GetValue(0);
                        var job = ReadJob(reader, lastId, uncleaned: true);
                        page.Add(!query.IncludeRanks || reader.IsDBNull(8) ? job : job with { NewerJobsOfSameType = reader.GetInt32(8) });
                    }
                }

                page = await WithArtifactsAsync(connection, page, cancellationToken).ConfigureAwait(false);
            }

            foreach (var job in page)
            {
                yield return job;
            }

            if (page.Count < pageSize || lastId is null)
            {
                yield break;
            }

            after = lastId;
        }
    }

    /// <inheritdoc />
    public async Task<long> CountCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {await CandidateSourceAsync(cancellationToken).ConfigureAwait(false)} WHERE {CandidateFilter(command, query)}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var mark = $"temp.\"retention_mark_{s.RawJobsTable}\"";

        // Set-based, in one transaction, one group of jobs per status, time and user (a run's batch has one or two), whose
        // ids are one JSON parameter unpacked by json_each: a parameter per job binds in quadratic time in Microsoft.Data.Sqlite.
        // Jobs that freed nothing (at scale, most: their data was long gone) are audited and marked straight from the JSON,
        // the check that they have not changed since they were planned (status, or cleaned meanwhile) in both statements'
        // filter: with no temp table and no subquery per row this is what SQLite's own UPDATE costs, plus the audit. The
        // ids drive the lookup, one probe of the id's index each: likely() tells the planner that the status and cleaned
        // checks filter out little, so it does not walk every row of the status through the status index instead (40
        // times slower); unlike a unary +, it keeps the columns' affinity, so integer statuses match their text form.
        var plain = $"""
            INSERT INTO {s.Audit} (timestamp, job_id, action, space_freed_mb, user)
                SELECT @at, {s.Id}, 'deleted_data', 0, @user FROM {s.Jobs}
                WHERE {s.Id} IN (SELECT value FROM json_each(@ids)) AND likely({s.Status} = @status) AND likely({s.DataCleanedAt} IS NULL);
            UPDATE {s.Jobs} SET {s.DataCleanedAt} = @at
                WHERE {s.Id} IN (SELECT value FROM json_each(@ids)) AND likely({s.Status} = @status) AND likely({s.DataCleanedAt} IS NULL);
            """;

        // Jobs that freed data carry a size each: they go through a temp table whose id column has the jobs table's affinity
        // (so integer ids match their text form, and its index serves the joins). UPDATE ... FROM ran five times slower
        // than UPDATE ... WHERE id IN.
        var setup = $"""
            CREATE TEMP TABLE IF NOT EXISTS "retention_mark_{s.RawJobsTable}" AS
                SELECT {s.Id} AS id, {s.Status} AS status, '' AS at, 0.0 AS mb, '' AS user FROM {s.Jobs} WHERE 0;
            CREATE UNIQUE INDEX IF NOT EXISTS temp."ix_retention_mark_{s.RawJobsTable}" ON "retention_mark_{s.RawJobsTable}" (id);
            DELETE FROM {mark};
            """;
        var fill = $"""
            INSERT OR IGNORE INTO {mark} (id, status, at, mb, user)
                SELECT json_extract(value, '$[0]'), @status, @at, json_extract(value, '$[1]'), @user FROM json_each(@sized);
            """;
        var record = $"""
            DELETE FROM {mark} WHERE NOT EXISTS (
                SELECT 1 FROM {s.Jobs} j WHERE j.{s.Id} = {mark}.id AND j.{s.Status} = {mark}.status AND j.{s.DataCleanedAt} IS NULL);
            UPDATE {s.Jobs} SET {s.DataCleanedAt} = (SELECT m.at FROM {mark} m WHERE m.id = {s.Jobs}.{s.Id}) WHERE {s.Id} IN (SELECT id FROM {mark});
            {(_hasDataSizeColumn ? $"UPDATE {s.Jobs} SET {s.DataSizeMb} = (SELECT m.mb FROM {mark} m WHERE m.id = {s.Jobs}.{s.Id}) WHERE {s.Id} IN (SELECT id FROM {mark});" : string.Empty)}
            INSERT INTO {s.Audit} (timestamp, job_id, action, space_freed_mb, user) SELECT at, id, 'deleted_data', mb, user FROM {mark} ORDER BY rowid;
            DELETE FROM {mark};
            """;
        var groups = MarkBatch.Group(jobs, s);
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using (var command = Command(connection, transaction, plain))
                {
                    foreach (var group in groups.Where(g => g.IdCount > 0))
                    {
                        Bind(command, group, "@ids", group.Ids);
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                if (!groups.Any(g => g.SizedCount > 0))
                {
                    return;
                }

                await using (var command = Command(connection, transaction, setup))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var command = Command(connection, transaction, fill))
                {
                    foreach (var group in groups.Where(g => g.SizedCount > 0))
                    {
                        Bind(command, group, "@sized", group.Sized);
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await using (var command = Command(connection, transaction, record))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static void Bind(SqliteCommand command, MarkBatch group, string name, string json)
    {
        command.Parameters.Clear();
        command.Parameters.AddWithValue("@status", group.Status);
        command.Parameters.AddWithValue("@at", group.CleanedAt);
        command.Parameters.AddWithValue("@user", group.CleanedBy);
        command.Parameters.AddWithValue(name, json);
    }

    /// <inheritdoc />
    public async ValueTask PurgeJobsAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var job = Command(connection, transaction, $"DELETE FROM {s.Jobs} WHERE {s.Id} = @id AND {s.Status} = @status");
                await using var artifacts = Command(connection, transaction, $"DELETE FROM {s.Artifacts} WHERE job_id = @id");
                await using var audit = AuditCommand(connection, transaction);
                foreach (var purge in jobs)
                {
                    Set(job, ("@id", purge.JobId), ("@status", s.NameOf(purge.ExpectedStatus)));
                    if (await job.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                    {
                        Set(artifacts, ("@id", purge.JobId));
                        await artifacts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        Set(audit, ("@ts", SqliteTime.Write(purge.CleanedAt)), ("@job", purge.JobId), ("@action", "purged_record"), ("@mb", Math.Round(purge.BytesFreed / 1048576.0, 3)), ("@user", purge.CleanedBy ?? "auto_cleanup"));
                        await audit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetStaleJobsAsync(StaleJobQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var statuses = query.Statuses.Select(s.NameOf).ToArray();
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
                    WHERE {s.Id} = @id AND {s.Status} = @expected
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
                await using var insert = Command(connection, transaction, $"""
                    INSERT INTO {_schema.Runs} (run_id, trigger, requested_by, requested_from, started_at, finished_at, dry_run, outcome, jobs_scanned, jobs_cleaned, jobs_failed, bytes_freed, error)
                    VALUES (@run, @trigger, @by, @from, @started, @finished, @dry, @outcome, @scanned, @cleaned, @failed, @bytes, @error)
                    """);
                Set(
                    insert,
                    ("@run", report.RunId),
                    ("@trigger", report.Trigger),
                    ("@by", (object?)report.RequestedBy ?? DBNull.Value),
                    ("@from", (object?)report.RequestedFrom ?? DBNull.Value),
                    ("@started", SqliteTime.Write(report.StartedAt)),
                    ("@finished", SqliteTime.Write(report.FinishedAt)),
                    ("@dry", report.DryRun ? 1 : 0),
                    ("@outcome", report.Outcome.ToString().ToLowerInvariant()),
                    ("@scanned", report.Stats.JobsScanned),
                    ("@cleaned", report.Stats.JobsCleaned),
                    ("@failed", report.Stats.JobsFailed),
                    ("@bytes", report.Stats.BytesFreed),
                    ("@error", (object?)report.Error ?? DBNull.Value));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds or replaces a job and its artifacts (samples, tests, and hosts that let the store own their jobs).</summary>
    /// <param name="job">The job; its <see cref="JobRecord.Artifacts"/> replace the stored ones.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the job is stored.</returns>
    public Task UpsertAsync(JobRecord job, CancellationToken cancellationToken = default) => UpsertAsync([job], cancellationToken);

    /// <summary>Adds or replaces jobs and their artifacts in one transaction.</summary>
    /// <param name="jobs">The jobs.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the jobs are stored.</returns>
    public async Task UpsertAsync(IEnumerable<JobRecord> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var upsert = Command(connection, transaction, $"""
                    INSERT OR REPLACE INTO {s.Jobs} ({s.Id}, {s.Status}, {(s.JobType is null ? string.Empty : s.JobType + ", ")}{s.CreatedAt}, {s.StartedAt}, {s.CompletedAt}, {s.ErrorMessage}, {s.DataCleanedAt}, {s.DataSizeMb})
                    VALUES (@id, @status, {(s.JobType is null ? string.Empty : "@type, ")}@created, @started, @completed, @error, @cleaned, @mb)
                    """);
                await using var clear = Command(connection, transaction, $"DELETE FROM {s.Artifacts} WHERE job_id = @id");
                await using var artifact = Command(connection, transaction, $"INSERT OR REPLACE INTO {s.Artifacts} (job_id, kind, path, size_bytes) VALUES (@id, @kind, @path, @size)");
                foreach (var job in jobs)
                {
                    var mb = job.Artifacts.Sum(a => a.SizeBytes ?? 0) / 1048576.0;
                    Set(upsert, ("@id", job.Id), ("@status", s.NameOf(job.Status)), ("@type", (object?)job.JobType ?? DBNull.Value), ("@created", SqliteTime.Write(job.CreatedAt)),
                        ("@started", SqliteTime.Write(job.StartedAt)), ("@completed", SqliteTime.Write(job.CompletedAt)), ("@error", (object?)job.ErrorMessage ?? DBNull.Value),
                        ("@cleaned", SqliteTime.Write(job.DataCleanedAt)), ("@mb", mb > 0 ? Math.Round(mb, 3) : DBNull.Value));
                    await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    Set(clear, ("@id", job.Id));
                    await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var a in job.Artifacts)
                    {
                        Set(artifact, ("@id", job.Id), ("@kind", a.Kind.Name), ("@path", a.Path), ("@size", (object?)a.SizeBytes ?? DBNull.Value));
                        await artifact.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {s.JobColumns}, NULL FROM {s.Jobs} WHERE {s.Id} = @id";
        command.Parameters.AddWithValue("@id", jobId);
        JobRecord? job = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                job = ReadJob(reader);
            }
        }

        return job is null ? null : (await WithArtifactsAsync(connection, [job], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> GetAllJobIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var id in StreamColumnAsync($"SELECT {_schema.Id} FROM {_schema.Jobs} @@after@@ ORDER BY {_schema.Id} LIMIT 5000", _schema.Id, cancellationToken).ConfigureAwait(false))
        {
            yield return id;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> GetAllArtifactPathsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (!_hasArtifactsTable)
        {
            yield break;
        }

        await foreach (var path in StreamColumnAsync($"SELECT path FROM {_schema.Artifacts} @@after@@ ORDER BY path LIMIT 5000", "path", cancellationToken).ConfigureAwait(false))
        {
            yield return path;
        }
    }

    /// <summary>The seed's monitoring query: jobs and megabytes by status where the data is not yet cleaned.</summary>
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
            rows.Add(new StatusUsage(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
        }

        return rows;
    }

    /// <summary>The seed's other monitoring query: jobs cleaned since <paramref name="since"/>, and the megabytes they held.</summary>
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

    // A read-only store on a table without the size column reports sizes as zero rather than failing.
    private string SizeColumn => _hasDataSizeColumn ? _schema.DataSizeMb : "NULL";

    /// <summary>Releases the store's pooled connections, so the database file is closed.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initialize.Dispose();
    }

    // The candidate filter, shared by the stream and the count: finished in one of the statuses before the cutoff, not yet cleaned.
    private string CandidateFilter(SqliteCommand command, CleanupCandidateQuery query)
    {
        var s = _schema;
        var statuses = query.Statuses.Select(s.NameOf).ToArray();
        for (var i = 0; i < statuses.Length; i++)
        {
            command.Parameters.AddWithValue("@s" + i, statuses[i]);
        }

        command.Parameters.AddWithValue("@cutoff", SqliteTime.Write(query.FinishedBefore));
        return $"{s.DataCleanedAt} IS NULL AND {s.Status} IN ({string.Join(", ", statuses.Select((_, i) => "@s" + i))}) AND julianday({s.FinishedAtExpression}) < julianday(@cutoff)";
    }

    // Keyset pages of one text column: the query takes @after and returns the column in order, a page at a time.
    private async IAsyncEnumerable<string> StreamColumnAsync(string sql, string column, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        object? after = null;
        while (true)
        {
            var page = new List<string>();
            object? last = null;
            await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql.Replace("@@after@@", after is null ? string.Empty : $"WHERE {column} > @after", StringComparison.Ordinal);
                if (after is not null)
                {
                    command.Parameters.AddWithValue("@after", after);
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    last = reader.GetValue(0);
                    page.Add(Convert.ToString(last, CultureInfo.InvariantCulture)!);
                }
            }

            foreach (var value in page)
            {
                yield return value;
            }

            if (last is null || page.Count < 5000)
            {
                yield break;
            }

            after = last;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private SqliteCommand AuditCommand(SqliteConnection connection, SqliteTransaction transaction) =>
        Command(connection, transaction, $"INSERT INTO {_schema.Audit} (timestamp, job_id, action, space_freed_mb, user) VALUES (@ts, @job, @action, @mb, @user)");

    private static void Set(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (command.Parameters.Contains(name))
            {
                command.Parameters[name].Value = value ?? DBNull.Value;
            }
            else if (command.CommandText.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }
    }

    private JobRecord ReadJob(SqliteDataReader reader, object? id = null, bool uncleaned = false)
    {
        try
        {
            return ReadJobUnchecked(reader, id ?? reader.GetValue(0), uncleaned);
        }
        catch (FormatException ex)
        {
            throw new RetentionException($"Job '{reader.GetValue(0)}' in '{DatabasePath}' has a value that is not a time ({ex.Message}); times must be ISO-8601 text.", ex);
        }
    }

    private JobRecord ReadJobUnchecked(SqliteDataReader reader, object id, bool uncleaned)
    {
        var statusText = Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture) ?? string.Empty;

        // An unknown status string is never taken for a finished one: it reads as Running, which nothing touches.
        var status = _schema.StatusOf(statusText) ?? JobStatus.Running;
        var jobType = reader.GetValue(2);
        var error = reader.GetValue(6);
        return new JobRecord(id as string ?? Convert.ToString(id, CultureInfo.InvariantCulture)!, status)
        {
            JobType = jobType is DBNull ? null : jobType as string ?? Convert.ToString(jobType, CultureInfo.InvariantCulture),
            CreatedAt = SqliteTime.Read(reader.GetValue(3)) ?? DateTimeOffset.MinValue,
            StartedAt = SqliteTime.Read(reader.GetValue(4)),
            CompletedAt = SqliteTime.Read(reader.GetValue(5)),
            ErrorMessage = error is DBNull ? null : error as string ?? Convert.ToString(error, CultureInfo.InvariantCulture),
            DataCleanedAt = uncleaned ? null : SqliteTime.Read(reader.GetValue(7)),
        };
    }

    private async Task<List<JobRecord>> WithArtifactsAsync(SqliteConnection connection, List<JobRecord> jobs, CancellationToken cancellationToken)
    {
        if (!_hasArtifactsTable || jobs.Count == 0)
        {
            return jobs;
        }

        // One range read over the primary key (job_id, path) for the whole page, from its lowest to its highest id as text,
        // keeping the rows of the page's jobs: binding hundreds of ids to an IN list cost more than reading the range.
        var ids = new HashSet<string>(jobs.Select(j => j.Id), StringComparer.Ordinal);
        var first = ids.Min(StringComparer.Ordinal)!;
        var last = ids.Max(StringComparer.Ordinal)!;
        var byJob = new Dictionary<string, List<JobArtifact>>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT job_id, kind, path, size_bytes FROM {_schema.Artifacts} WHERE job_id >= @first AND job_id <= @last";
            command.Parameters.AddWithValue("@first", first);
            command.Parameters.AddWithValue("@last", last);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                if (!ids.Contains(id))
                {
                    continue;
                }

                if (!byJob.TryGetValue(id, out var list))
                {
                    byJob[id] = list = [];
                }

                list.Add(new JobArtifact(new ArtifactKind(reader.GetString(1)), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
            }
        }

        return byJob.Count == 0 ? jobs : jobs.ConvertAll(j => byJob.TryGetValue(j.Id, out var a) ? j with { Artifacts = a } : j);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // SQLite's own busy handler: a statement meeting a lock waits up to the timeout instead of failing at once.
            await using var busy = connection.CreateCommand();
            // In WAL mode, synchronous=NORMAL keeps the database safe from corruption and syncs at checkpoints rather than at
            // every commit; a power cut can lose the last batches' marks, which the next run re-records (their files are gone).
            // A 512 KiB page cache per connection: the operating system caches the file, and a batch touches few pages. At a
            // million jobs a 16 MiB cache marked no faster (11.2 s against 11.4 s) and cost 15 MiB of peak memory.
            busy.CommandText = $"PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds};{(_options.ReadOnly ? " PRAGMA query_only = 1;" : " PRAGMA synchronous = NORMAL;")} PRAGMA cache_size = -512;";
            await busy.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // One short BEGIN IMMEDIATE transaction: the write lock is taken up front, so a batch is either all written or, on a
    // lock held past the busy timeout, not written at all and retried whole.
    private async Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken)
    {
        if (_options.ReadOnly)
        {
            throw new RetentionConfigurationException($"The store for '{DatabasePath}' is read-only; it cannot be written.");
        }

        await Transient(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task Transient(Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            throw new TransientRetentionException($"The database '{DatabasePath}' is locked by another process (waited {_options.BusyTimeout.TotalSeconds:0} s).", ex);
        }
    }

    // The jobs table through the partial index of uncleaned jobs: the planner otherwise picks the status index and visits
    // every finished job's row (a count over a million jobs took 1.9 s that way, 0.3 s through the partial index). A
    // read-only store on a database that never had the index reads the table as it is.
    private async Task<string> CandidateSourceAsync(CancellationToken cancellationToken)
    {
        var index = $"ix_{_schema.RawJobsTable}_retention_uncleaned";
        return _options.ReadOnly && !await IndexExistsAsync(index, cancellationToken).ConfigureAwait(false)
            ? $"{_schema.Jobs} j"
            : $"{_schema.Jobs} j INDEXED BY \"{index}\"";
    }

    private async Task<bool> IndexExistsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @name";
        command.Parameters.AddWithValue("@name", name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

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

            var missing = s.RequiredJobColumns.Where(c => !columns.Contains(c)).ToArray();
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
