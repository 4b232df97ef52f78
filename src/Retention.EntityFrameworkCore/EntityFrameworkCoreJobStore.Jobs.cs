using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Model;
using Retention.Stores;

namespace Retention.EntityFrameworkCore;

/// <summary>Marks, purges, stale jobs, lookups, and the ids and paths the orphan sweep compares with.</summary>
public partial class EntityFrameworkCoreJobStore<TContext, TJob>
{
    /// <inheritdoc />
    public ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default) =>
        WriteBatchAsync(jobs, context => Queries.MarkAsync(context, jobs, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public ValueTask PurgeJobsAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default) =>
        WriteBatchAsync(
            jobs,
            async context =>
            {
                await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var purged = (await Queries.PurgeAsync(context, jobs, cancellationToken).ConfigureAwait(false)).ToArray();
                if (purged.Length > 0)
                {
                    await context.Set<RetentionJobArtifact>().Where(a => purged.Contains(a.JobId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetStaleJobsAsync(StaleJobQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        List<JobRecord> jobs;
        await using (var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs = await Queries.StaleAsync(lease.Context, query, cancellationToken).ConfigureAwait(false);
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
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await Queries.TryFailAsync(lease.Context, failure, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        var job = await Queries.FindAsync(lease.Context, jobId, cancellationToken).ConfigureAwait(false);
        return job is null ? null : (await WithArtifactsAsync(lease.Context, [job], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> GetAllJobIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        object? after = null;
        while (true)
        {
            List<string> page;
            await using (var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                (page, after) = await Queries.IdPageAsync(lease.Context, after, IdPageSize, cancellationToken).ConfigureAwait(false);
            }

            foreach (var id in page)
            {
                yield return id;
            }

            if (page.Count < IdPageSize || after is null)
            {
                yield break;
            }
        }
    }

    // A batch of tombstones written on one short-lived context; an empty batch touches nothing.
    private async ValueTask WriteBatchAsync(IReadOnlyList<JobDataCleaned> jobs, Func<TContext, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false);
        await write(lease.Context).ConfigureAwait(false);
    }

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA1309:Use ordinal string comparison", Justification = "EF Core translates the two-argument string.Compare to the column comparison SQL makes; the overload with a comparison is not translated.")]
    public async IAsyncEnumerable<string> GetAllArtifactPathsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);

        // Keyset pages over the artifacts' key (job id, path).
        (string JobId, string Path)? after = null;
        while (true)
        {
            List<RetentionJobArtifact> page;
            await using (var lease = await Contexts.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                var rows = lease.Context.Set<RetentionJobArtifact>().AsNoTracking();
                if (after is { } last)
                {
                    rows = rows.Where(a => string.Compare(a.JobId, last.JobId) > 0 || (a.JobId == last.JobId && string.Compare(a.Path, last.Path) > 0));
                }

                page = await rows.OrderBy(a => a.JobId).ThenBy(a => a.Path).Take(IdPageSize).ToListAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var artifact in page)
            {
                yield return artifact.Path;
            }

            if (page.Count < IdPageSize)
            {
                yield break;
            }

            after = (page[^1].JobId, page[^1].Path);
        }
    }
}
