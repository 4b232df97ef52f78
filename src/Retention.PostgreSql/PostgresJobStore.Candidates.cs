using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Retention.Stores;

namespace Retention.PostgreSql;

/// <summary>Candidates, claims, and recording what is cleaned or purged.</summary>
public sealed partial class PostgresJobStore
{
    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="CleanupCandidateQuery.ClaimOwner"/> set, each page is claimed in one statement: rows are picked with
    /// <c>FOR NO KEY UPDATE SKIP LOCKED</c> (so replicas picking at once take different jobs), then claimed in the claims table
    /// (<c>ON CONFLICT</c> refuses a job whose live claim another run holds). Without it (dry runs), pages are read by id.
    /// </remarks>
    public async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.ClaimOwner is not null)
        {
            EnsureWritable();
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (query.ClaimOwner is { } claimer)
        {
            StartHeartbeat(claimer);
        }

        var pageSize = Math.Clamp(query.BatchSize, 1, 10_000);
        string? after = null;
        while (true)
        {
            var (page, seen, last) = await ReadPageResumingAsync(query, after, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var job in page)
            {
                yield return job;
            }

            // Keyset in id order, claiming or not: a job this run kept or skipped is never streamed to it twice, even once
            // its claim lapses. A claiming round may claim none of the rows it saw (another replica claimed them a moment
            // earlier); the stream ends when a round sees no row past the last one it saw.
            if (seen == 0 || (query.ClaimOwner is null && seen < pageSize))
            {
                yield break;
            }

            after = last;
        }
    }

    // A page is one statement: when the session ends under it (a failover, an administrator, a reset connection), nothing
    // of it was kept but claims it may have committed, which are this run's own and are picked again. So the stream
    // resumes after the last key it read, on a new connection, a few times with a growing pause before it gives up.
    private async Task<(List<JobRecord> Page, int Seen, string? Last)> ReadPageResumingAsync(CleanupCandidateQuery query, string? after, int pageSize, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return query.ClaimOwner is { } owner
                    ? await WithConnectionAsync(c => ClaimPageAsync(c, query, owner, after, pageSize, cancellationToken), cancellationToken).ConfigureAwait(false)
                    : await WithConnectionAsync(c => ReadPageAsync(c, query, after, pageSize, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (TransientRetentionException) when (attempt < StreamAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(StreamRetryDelay * (1 << (attempt - 1)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<long> CountCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"SELECT count(*) FROM {_schema.Jobs} j WHERE {CandidateFilter(query)}");
                AddFilterParameters(command, query);
                return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlySet<string>> ConfirmClaimsAsync(string owner, IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(jobs);
        EnsureWritable();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;

        // Renewing is the check: only live claims of this owner are renewed, and only unchanged jobs under them, with no hold
        // placed since they were read, are confirmed.
        var current = await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"""
                    WITH renewed AS (
                        UPDATE {s.Claims} SET claimed_until = now() + @timeout
                        WHERE owner = @owner AND job_id = ANY(@ids) AND claimed_until > now()
                        RETURNING job_id)
                    SELECT j.{s.Id}::text, j.{s.Status}::text, j.xmin::text::bigint
                    FROM {s.Jobs} j JOIN renewed r ON j.{s.Id} = r.job_id::{s.IdType}
                    WHERE j.{s.DataCleanedAt} IS NULL
                      AND NOT EXISTS (SELECT 1 FROM {s.Holds} h WHERE h.job_id = r.job_id AND (h.expires_at IS NULL OR h.expires_at > now()))
                    """);
                command.Parameters.Add(new NpgsqlParameter("timeout", NpgsqlDbType.Interval) { Value = _options.ClaimTimeout });
                command.Parameters.Add(Text("owner", owner));
                command.Parameters.Add(Array("ids", jobs.Select(j => j.Id)));
                var rows = new Dictionary<string, (string Status, long Version)>(StringComparer.Ordinal);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows[reader.GetString(0)] = (reader.GetString(1), reader.GetInt64(2));
                }

                return rows;
            },
            cancellationToken).ConfigureAwait(false);

        var confirmed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            if (current.TryGetValue(job.Id, out var row) && s.StatusOf(row.Status) == job.Status && (job.Version is null || job.Version == row.Version))
            {
                confirmed.Add(job.Id);
            }
        }

        return confirmed;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseClaimsAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        EnsureWritable();
        await StopHeartbeatAsync(owner).ConfigureAwait(false);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"DELETE FROM {_schema.Claims} WHERE owner = @owner");
                command.Parameters.Add(Text("owner", owner));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One statement for the whole batch: mark, audit, and drop the claims of the jobs marked.</remarks>
    public async ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        EnsureWritable();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await ExecuteTombstonesAsync(
            jobs,
            $"""
                    WITH input AS ({TombstoneInput}),
                    marked AS (
                        UPDATE {s.Jobs} j SET {s.DataCleanedAt} = i.at, {s.DataSizeMb} = CASE WHEN i.mb > 0 THEN i.mb ELSE j.{s.DataSizeMb} END
                        FROM input i
                        WHERE j.{s.Id} = i.id::{s.IdType} AND {s.WrittenStatus("j.")} = i.status AND j.{s.DataCleanedAt} IS NULL
                          AND (i.version IS NULL OR j.xmin::text::bigint = i.version)
                        RETURNING j.{s.Id}::text AS id),
                    audited AS (
                        INSERT INTO {s.Audit} ("timestamp", job_id, action, space_freed_mb, "user")
                        SELECT i.at, i.id, 'deleted_data', i.mb, i.usr FROM input i JOIN marked m ON m.id = i.id),
                    released AS (
                        DELETE FROM {s.Claims} c USING marked m WHERE c.job_id = m.id)
                    SELECT count(*) FROM marked
                    """,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask PurgeJobsAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        EnsureWritable();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await ExecuteTombstonesAsync(
            jobs,
            $"""
                    WITH input AS ({TombstoneInput}),
                    purged AS (
                        DELETE FROM {s.Jobs} j USING input i
                        WHERE j.{s.Id} = i.id::{s.IdType} AND {s.WrittenStatus("j.")} = i.status
                          AND (i.version IS NULL OR j.xmin::text::bigint = i.version)
                        RETURNING j.{s.Id}::text AS id),
                    artifacts AS (
                        DELETE FROM {s.Artifacts} a USING purged p WHERE a.job_id = p.id),
                    audited AS (
                        INSERT INTO {s.Audit} ("timestamp", job_id, action, space_freed_mb, "user")
                        SELECT i.at, i.id, 'purged_record', i.mb, i.usr FROM input i JOIN purged p ON p.id = i.id),
                    released AS (
                        DELETE FROM {s.Claims} c USING purged p WHERE c.job_id = p.id)
                    SELECT count(*) FROM purged
                    """,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<(List<JobRecord> Page, int Seen, string? Last)> ReadPageAsync(NpgsqlConnection connection, CleanupCandidateQuery query, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var s = _schema;
        await using var command = Command(connection, null, $"""
            SELECT {s.JobColumns("j")}{Rank(query)}
            FROM {s.Jobs} j
            WHERE {CandidateFilter(query)} {(after is null ? string.Empty : $"AND j.{s.Id} > @after::{s.IdType}")}
            ORDER BY j.{s.Id}
            LIMIT @limit
            """);
        AddFilterParameters(command, query);
        if (after is not null)
        {
            command.Parameters.Add(Text("after", after));
        }

        command.Parameters.AddWithValue("limit", pageSize);
        var page = await ReadJobsAsync(command, query.IncludeRanks, cancellationToken).ConfigureAwait(false);
        var last = page.Count > 0 ? page[^1].Id : after;

        // Held jobs are streamed (a dry run): with their holds, so the plan says which keeps each.
        return (query.ExcludeHeldAt is null ? await WithHoldsAsync(connection, page, cancellationToken).ConfigureAwait(false) : page, page.Count, last);
    }

    // Picks with SKIP LOCKED, then claims; the claims table's key, not the row lock, is what keeps two runs off one job: a
    // run whose snapshot predates another's committed claim picks the same rows, and ON CONFLICT gives it none of them.
    // The run's own live claims are picked again: a page whose claims committed but whose rows were lost with the session
    // is claimed anew when the stream resumes (the keyset, not the claim, keeps a run from seeing a job twice).
    private async Task<(List<JobRecord> Page, int Seen, string? Last)> ClaimPageAsync(NpgsqlConnection connection, CleanupCandidateQuery query, string owner, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var s = _schema;
        var fence = query.Fence is null ? string.Empty : $"AND EXISTS (SELECT 1 FROM {s.Leases} l WHERE l.name = @lock AND l.token = @token AND l.expires_at > now())";
        await using var command = Command(connection, null, $"""
            WITH picked AS (
                SELECT j.{s.Id} AS id FROM {s.Jobs} j
                WHERE {CandidateFilter(query)}
                  AND NOT EXISTS (SELECT 1 FROM {s.Claims} c WHERE c.job_id = j.{s.Id}::text AND c.claimed_until > now() AND c.owner <> @owner)
                  {fence} {(after is null ? string.Empty : $"AND j.{s.Id} > @after::{s.IdType}")}
                ORDER BY j.{s.Id}
                LIMIT @limit
                FOR NO KEY UPDATE OF j SKIP LOCKED),
            claimed AS (
                INSERT INTO {s.Claims} AS c (job_id, owner, claimed_until)
                SELECT id::text, @owner, now() + @timeout FROM picked
                ON CONFLICT (job_id) DO UPDATE SET owner = excluded.owner, claimed_until = excluded.claimed_until
                WHERE c.claimed_until <= now() OR c.owner = excluded.owner
                RETURNING job_id)
            SELECT {s.JobColumns("j")}{Rank(query)}, c.job_id IS NOT NULL
            FROM picked p JOIN {s.Jobs} j ON j.{s.Id} = p.id LEFT JOIN claimed c ON c.job_id = p.id::text
            ORDER BY j.{s.Id}
            """);
        AddFilterParameters(command, query);
        command.Parameters.AddWithValue("limit", pageSize);
        command.Parameters.Add(Text("owner", owner));
        command.Parameters.Add(new NpgsqlParameter("timeout", NpgsqlDbType.Interval) { Value = _options.ClaimTimeout });
        if (after is not null)
        {
            command.Parameters.Add(Text("after", after));
        }

        if (query.Fence is { } lease)
        {
            command.Parameters.Add(Text("lock", lease.LockName));
            command.Parameters.AddWithValue("token", lease.Token);
        }

        var claimed = new List<JobRecord>();
        var seen = 0;
        var last = after;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                seen++;
                last = reader.GetString(0);
                if (reader.GetBoolean(10))
                {
                    var job = ReadJob(reader);
                    claimed.Add(query.IncludeRanks && !reader.IsDBNull(9) ? job with { NewerJobsOfSameType = (int)reader.GetInt64(9) } : job);
                }
            }
        }

        if (seen == 0 && query.Fence is { } held && !await FenceHoldsAsync(connection, held, cancellationToken).ConfigureAwait(false))
        {
            // Nothing was claimed because a newer holder has the lease: that is not "nothing left to clean".
            throw new RetentionException($"Lost the leader lock '{held.LockName}': a newer holder replaced token {held.Token}, so this run claims no more jobs.");
        }

        return (await WithArtifactsAsync(connection, claimed, cancellationToken).ConfigureAwait(false), seen, last);
    }

    private async Task<bool> FenceHoldsAsync(NpgsqlConnection connection, LeaseFence fence, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, $"SELECT EXISTS (SELECT 1 FROM {_schema.Leases} WHERE name = @lock AND token = @token AND expires_at > now())");
        command.Parameters.Add(Text("lock", fence.LockName));
        command.Parameters.AddWithValue("token", fence.Token);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    // Finished in one of the statuses before that status's cutoff, not yet cleaned; "j" is the jobs table. Statuses that
    // share a cutoff share a term, so the usual policy (succeeded after 7 days; failed and cancelled after 12 hours) has two.
    private string CandidateFilter(CleanupCandidateQuery query)
    {
        var s = _schema;
        var terms = CutoffGroups(query).Select((_, i) => $"(j.{s.Status} = ANY(@statuses{i}::{s.StatusType}[]) AND COALESCE(j.{s.CompletedAt}, j.{s.StartedAt}, j.{s.CreatedAt}) < @cutoff{i})").ToList();
        var notHeld = query.ExcludeHeldAt is null ? string.Empty : $" AND {s.NotHeld}";
        return $"j.{s.DataCleanedAt} IS NULL AND {(terms.Count == 0 ? "FALSE" : $"({string.Join(" OR ", terms)})")}{notHeld}";
    }

    private void AddFilterParameters(NpgsqlCommand command, CleanupCandidateQuery query)
    {
        var i = 0;
        foreach (var group in CutoffGroups(query))
        {
            command.Parameters.Add(Array($"statuses{i}", _schema.NamesOf(group)));
            command.Parameters.Add(Time($"cutoff{i}", group.Key));
            i++;
        }

        if (query.ExcludeHeldAt is { } heldAt)
        {
            command.Parameters.Add(Time("heldAt", heldAt));
        }
    }

    private static IEnumerable<IGrouping<DateTimeOffset, JobStatus>> CutoffGroups(CleanupCandidateQuery query) =>
        query.Statuses.Distinct().GroupBy(query.FinishedBeforeFor).OrderBy(g => g.Key);

    // How many newer finished jobs share the job's type and status, for keep-newest-N rules.
    private string Rank(CleanupCandidateQuery query)
    {
        if (!query.IncludeRanks)
        {
            return ", NULL::bigint";
        }

        var s = _schema;
        var sameType = s.JobType is null ? string.Empty : $"AND n.{s.JobType} IS NOT DISTINCT FROM j.{s.JobType}";
        return $", (SELECT count(*) FROM {s.Jobs} n WHERE {(s.HasSeveralWords ? $"{s.WrittenStatus("n.")} = {s.WrittenStatus("j.")}" : $"n.{s.Status} = j.{s.Status}")} {sameType} AND COALESCE(n.{s.CompletedAt}, n.{s.StartedAt}, n.{s.CreatedAt}) > COALESCE(j.{s.CompletedAt}, j.{s.StartedAt}, j.{s.CreatedAt}))";
    }

    // The batch as a table: one row per tombstone, so marking or purging a batch is one statement whatever its size.
    private const string TombstoneInput = "SELECT * FROM unnest(@ids, @statuses, @ats, @mbs, @users, @versions) AS t(id, status, at, mb, usr, version)";

    private Task<object?> ExecuteTombstonesAsync(IReadOnlyList<JobDataCleaned> jobs, string sql, CancellationToken cancellationToken) =>
        WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, sql);
                AddTombstones(command, jobs);
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    private void AddTombstones(NpgsqlCommand command, IReadOnlyList<JobDataCleaned> jobs)
    {
        command.Parameters.Add(Array("ids", jobs.Select(j => j.JobId)));
        command.Parameters.Add(Array("statuses", jobs.Select(j => _schema.NameOf(j.ExpectedStatus))));
        command.Parameters.Add(Times("ats", jobs.Select(j => (DateTimeOffset?)j.CleanedAt)));
        command.Parameters.Add(new NpgsqlParameter<double[]>("mbs", jobs.Select(j => Math.Round(j.BytesFreed / 1048576.0, 3)).ToArray()));
        command.Parameters.Add(Array("users", jobs.Select(j => j.CleanedBy ?? "auto_cleanup")));
        command.Parameters.Add(new NpgsqlParameter<long?[]>("versions", jobs.Select(j => j.ExpectedVersion).ToArray()));
    }
}
