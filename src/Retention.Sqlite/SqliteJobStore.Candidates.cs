using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Retention.Stores;

namespace Retention.Sqlite;

/// <summary>Candidates: the stream, its count, marking and purging a batch, and reading job rows.</summary>
public sealed partial class SqliteJobStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        var rank = query.IncludeRanks
            ? $", (SELECT COUNT(*) FROM {s.Jobs} n WHERE {s.WrittenStatus("n.")} = {s.WrittenStatus("j.")} {(s.JobType is null ? string.Empty : $"AND n.{s.JobType} IS j.{s.JobType}")} AND COALESCE(n.{s.CompletedAt}, n.{s.StartedAt}, n.{s.CreatedAt}) > COALESCE(j.{s.CompletedAt}, j.{s.StartedAt}, j.{s.CreatedAt}))"
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
                if (query.ExcludeHeldAt is null)
                {
                    // Held jobs are streamed (a dry run): with their holds, so the plan says which keeps each.
                    page = await WithHoldsAsync(connection, page, cancellationToken).ConfigureAwait(false);
                }
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
        // checks filter out little, so it does not walk every row of the status through the status index instead (see
        // docs/performance.md); unlike a unary +, it keeps the columns' affinity, so integer statuses match their text form.
        var plain = $"""
            INSERT INTO {s.Audit} (timestamp, job_id, action, space_freed_mb, user)
                SELECT {AuditTime("@at")}, {s.Id}, {AuditDataDeleted}, 0, @user FROM {s.Jobs}
                WHERE {s.Id} IN (SELECT value FROM json_each(@ids)) AND likely({s.WrittenStatus()} = @status) AND likely({s.DataCleanedAt} IS NULL);
            UPDATE {s.Jobs} SET {s.DataCleanedAt} = @at
                WHERE {s.Id} IN (SELECT value FROM json_each(@ids)) AND likely({s.WrittenStatus()} = @status) AND likely({s.DataCleanedAt} IS NULL);
            """;

        // Jobs that freed data carry a size each: they go through a temp table whose id column has the jobs table's affinity
        // (so integer ids match their text form, and its index serves the joins), then UPDATE ... WHERE id IN, which
        // SQLite runs far faster than UPDATE ... FROM.
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
                SELECT 1 FROM {s.Jobs} j WHERE j.{s.Id} = {mark}.id AND {s.WrittenStatus("j.")} = {mark}.status AND j.{s.DataCleanedAt} IS NULL);
            UPDATE {s.Jobs} SET {s.DataCleanedAt} = (SELECT m.at FROM {mark} m WHERE m.id = {s.Jobs}.{s.Id}) WHERE {s.Id} IN (SELECT id FROM {mark});
            {(_hasDataSizeColumn ? $"UPDATE {s.Jobs} SET {s.DataSizeMb} = (SELECT m.mb FROM {mark} m WHERE m.id = {s.Jobs}.{s.Id}) WHERE {s.Id} IN (SELECT id FROM {mark});" : string.Empty)}
            INSERT INTO {s.Audit} (timestamp, job_id, action, space_freed_mb, user) SELECT {AuditTime("at")}, id, {AuditDataDeleted}, {AuditMegabytes("mb")}, user FROM {mark} ORDER BY rowid;
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
                await using var job = Command(connection, transaction, $"DELETE FROM {s.Jobs} WHERE {s.Id} = @id AND {s.WrittenStatus()} = @status");
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

    // The candidate filter, shared by the stream and the count: finished in one of the statuses before the cutoff, not yet cleaned.
    private string CandidateFilter(SqliteCommand command, CleanupCandidateQuery query)
    {
        var s = _schema;
        var statuses = s.WordsOf(query.Statuses);
        for (var i = 0; i < statuses.Length; i++)
        {
            command.Parameters.AddWithValue("@s" + i, statuses[i]);
        }

        command.Parameters.AddWithValue("@cutoff", SqliteTime.Write(query.FinishedBefore));
        var filter = $"{s.DataCleanedAt} IS NULL AND {s.Status} IN ({string.Join(", ", statuses.Select((_, i) => "@s" + i))}) AND julianday({s.FinishedAtExpression}) < julianday(@cutoff)";
        if (query.ExcludeHeldAt is not { } heldAt || !_hasHoldsTable)
        {
            return filter;
        }

        command.Parameters.AddWithValue("@heldAt", SqliteTime.Write(heldAt));
        return $"{filter} AND {s.NotHeld}";
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

        // An unmapped status word is never taken for a finished one: it reads as Running, which nothing touches, and says so.
        var mapped = _schema.StatusOf(statusText);
        var status = mapped ?? JobStatus.Running;
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
            UnmappedStatus = mapped is null ? statusText : null,
        };
    }

    private async Task<List<JobRecord>> WithArtifactsAsync(SqliteConnection connection, List<JobRecord> jobs, CancellationToken cancellationToken)
    {
        if (!_hasArtifactsTable || jobs.Count == 0)
        {
            return jobs;
        }

        var byJob = await ReadByJobAsync(
            connection, jobs.ConvertAll(j => j.Id), $"SELECT job_id, kind, path, size_bytes FROM {_schema.Artifacts}",
            reader => new JobArtifact(new ArtifactKind(reader.GetString(1)), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)),
            cancellationToken).ConfigureAwait(false);
        return byJob.Count == 0 ? jobs : jobs.ConvertAll(j => byJob.TryGetValue(j.Id, out var a) ? j with { Artifacts = a } : j);
    }

    private async Task<List<JobRecord>> WithHoldsAsync(SqliteConnection connection, List<JobRecord> jobs, CancellationToken cancellationToken)
    {
        if (!_hasHoldsTable || jobs.Count == 0)
        {
            return jobs;
        }

        var byJob = await ReadByJobAsync(connection, jobs.ConvertAll(j => j.Id), $"SELECT job_id, {HoldColumns} FROM {_schema.Holds}", reader => ReadHold(reader, 1), cancellationToken).ConfigureAwait(false);
        return byJob.Count == 0 ? jobs : jobs.ConvertAll(j => byJob.TryGetValue(j.Id, out var h) ? j with { Holds = h } : j);
    }

    // One range read over a job_id-first index for the whole page, from its lowest to its highest id as text, keeping the
    // rows of the page's jobs: binding hundreds of ids to an IN list cost more than reading the range. The select's first
    // column is the job id.
    private static async Task<Dictionary<string, List<T>>> ReadByJobAsync<T>(SqliteConnection connection, IEnumerable<string> jobIds, string select, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(jobIds, StringComparer.Ordinal);
        var byJob = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{select} WHERE job_id >= @first AND job_id <= @last";
        command.Parameters.AddWithValue("@first", ids.Min(StringComparer.Ordinal)!);
        command.Parameters.AddWithValue("@last", ids.Max(StringComparer.Ordinal)!);
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

            list.Add(read(reader));
        }

        return byJob;
    }

    // The jobs table through the partial index of uncleaned jobs: the planner otherwise picks the status index and visits
    // every finished job's row. A
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
}
