using Microsoft.EntityFrameworkCore;
using Retention.Cleanup;
using Retention.EntityFrameworkCore.Model;
using Retention.Stores;

namespace Retention.EntityFrameworkCore;

/// <summary>Run history (the cleanup's own entity) and storage usage.</summary>
public partial class EntityFrameworkCoreJobStore<TContext, TJob>
{
    /// <inheritdoc />
    public async ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var run = CleanupRunRecord.From(report);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        lease.Context.Set<RetentionCleanupRun>().Add(new RetentionCleanupRun
        {
            RunId = run.RunId,
            Trigger = run.Trigger,
            StartedAt = run.StartedAt.UtcDateTime,
            FinishedAt = run.FinishedAt?.UtcDateTime,
            DryRun = run.DryRun,
            Outcome = run.Outcome,
            JobsScanned = run.JobsScanned,
            JobsCleaned = run.JobsCleaned,
            JobsFailed = run.JobsFailed,
            BytesFreed = run.BytesFreed,
            Error = run.Error,
            RequestedBy = run.RequestedBy,
            RequestedFrom = run.RequestedFrom,
        });
        await lease.Context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA1309:Use ordinal string comparison", Justification = "EF Core translates the two-argument string.Compare to the column comparison SQL makes; the overload with a comparison is not translated.")]
    public async ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        var runs = lease.Context.Set<RetentionCleanupRun>().AsNoTracking();
        if (query.StartedBefore is { } startedBefore)
        {
            var before = startedBefore.UtcDateTime;
            var beforeRun = query.BeforeRunId;
            runs = beforeRun is null
                ? runs.Where(r => r.StartedAt < before)
                : runs.Where(r => r.StartedAt < before || (r.StartedAt == before && string.Compare(r.RunId, beforeRun) < 0));
        }

        if (query.Trigger is { } trigger)
        {
            runs = runs.Where(r => r.Trigger == trigger);
        }

        var rows = await runs.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.RunId).Take(query.Limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => new CleanupRunRecord(r.RunId, r.Trigger, Utc(r.StartedAt), r.FinishedAt is { } finished ? Utc(finished) : null, r.DryRun, r.Outcome, r.JobsScanned, r.JobsCleaned, r.JobsFailed, r.BytesFreed, r.Error)
        {
            RequestedBy = r.RequestedBy,
            RequestedFrom = r.RequestedFrom,
        });
    }

    /// <inheritdoc />
    /// <remarks>This store keeps no audit rows: only recorded runs are trimmed, in one set-based delete.</remarks>
    public async ValueTask<RecordsTrimmed> TrimRecordsAsync(DateTimeOffset auditBefore, DateTimeOffset runsBefore, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = runsBefore.UtcDateTime;
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        var runs = await lease.Context.Set<RetentionCleanupRun>().Where(r => r.StartedAt < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return new RecordsTrimmed(0, runs);
    }

    /// <summary>Jobs whose data is not cleaned and the bytes they hold, by status: a mapped value by its status's name (<c>succeeded</c>), an unmapped one as stored.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One row per status that has such jobs.</returns>
    public async ValueTask<IReadOnlyList<StorageUsage>> GetStorageUsageAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await Queries.UsageAsync(lease.Context, cancellationToken).ConfigureAwait(false);
    }

    // Providers read a DateTime back with no kind (SQLite) or as UTC (PostgreSQL); the store wrote UTC.
    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
