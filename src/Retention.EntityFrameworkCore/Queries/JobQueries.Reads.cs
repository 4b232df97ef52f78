using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>Reads: candidate pages and their count, stale jobs, one job, id pages and usage by status.</summary>
internal sealed partial class JobQueries<TJob, TId, TStatus, TTime>
{
    /// <inheritdoc />
    public async Task<(List<JobRecord> Jobs, object? LastKey)> CandidatePageAsync(DbContext context, CleanupCandidateQuery query, object? afterId, int pageSize, CancellationToken cancellationToken)
    {
        var filter = CandidateFilter(query);
        var rows = await context.Set<TJob>().AsNoTracking()
            .Where(Where(afterId is null ? filter : Expression.AndAlso(After(afterId), filter)))
            .OrderBy(_idKey)
            .Take(pageSize)
            .Select(_row)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return (rows.ConvertAll(ToRecord), rows.Count == 0 ? null : rows[^1].Id);
    }

    /// <inheritdoc />
    public Task<long> CountCandidatesAsync(DbContext context, CleanupCandidateQuery query, CancellationToken cancellationToken) =>
        context.Set<TJob>().Where(Where(CandidateFilter(query))).LongCountAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<List<JobRecord>> StaleAsync(DbContext context, StaleJobQuery query, CancellationToken cancellationToken)
    {
        var filter = StatusIn(query.Statuses);
        if (query.StartedBefore is { } before)
        {
            filter = Expression.AndAlso(filter, Before(_startedOrCreated, before));
        }

        var rows = await context.Set<TJob>().AsNoTracking()
            .Where(Where(filter))
            .OrderBy(Expression.Lambda<Func<TJob, TTime?>>(_startedOrCreated, _job))
            .Select(_row)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<JobRecord?> FindAsync(DbContext context, string jobId, CancellationToken cancellationToken)
    {
        if (!TryParseId(jobId, out var id))
        {
            return null;
        }

        var row = await context.Set<TJob>().AsNoTracking().Where(Where(IdIs(id))).Select(_row).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<(List<string> Ids, object? LastKey)> IdPageAsync(DbContext context, object? afterId, int pageSize, CancellationToken cancellationToken)
    {
        var jobs = context.Set<TJob>().AsNoTracking();
        if (afterId is not null)
        {
            jobs = jobs.Where(Where(After(afterId)));
        }

        var ids = await jobs.OrderBy(_idKey).Take(pageSize).Select(_idKey).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (ids.ConvertAll(IdText), ids.Count == 0 ? null : ids[^1]);
    }

    /// <inheritdoc />
    public async Task<List<StorageUsage>> UsageAsync(DbContext context, CancellationToken cancellationToken)
    {
        var size = Body(_map.SizeBytesMember) is { } bytes ? Expression.Coalesce(bytes, Expression.Constant(0L)) : (Expression)Expression.Constant(0L);
        var held = Expression.Lambda<Func<TJob, HeldData<TStatus>>>(
            Expression.MemberInit(
                Expression.New(typeof(HeldData<TStatus>)),
                Expression.Bind(typeof(HeldData<TStatus>).GetProperty(nameof(HeldData<TStatus>.Status))!, _status),
                Expression.Bind(typeof(HeldData<TStatus>).GetProperty(nameof(HeldData<TStatus>.Bytes))!, size)),
            _job);
        var groups = await context.Set<TJob>().AsNoTracking()
            .Where(Where(Uncleaned))
            .Select(held)
            .GroupBy(h => h.Status)
            .Select(g => new { g.Key, Jobs = g.LongCount(), Bytes = g.Sum(h => h.Bytes) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        // Mapped values by their status's name (an integer 3 says nothing); several values of one status add up.
        return groups
            .GroupBy(g => _statuses.StatusOf(g.Key) is { } status ? status.ToString().ToLowerInvariant() : Convert.ToString(g.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.Ordinal)
            .Select(g => new StorageUsage(g.Key, g.Sum(x => x.Jobs), g.Sum(x => x.Bytes)))
            .OrderBy(u => u.Status, StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc />
    public async Task<List<string>> UnchangedAsync(DbContext context, IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken)
    {
        // Still in the status each was read in (and at its version, where one is mapped), data not cleaned meanwhile.
        Expression? match = null;
        foreach (var group in jobs.GroupBy(j => j.Status))
        {
            var test = Expression.AndAlso(Planned(group.Select(j => (j.Id, j.Version))), StatusIn([group.Key]));
            match = match is null ? test : Expression.OrElse(match, test);
        }

        if (match is null)
        {
            return [];
        }

        var ids = await context.Set<TJob>().Where(Where(Expression.AndAlso(match, Uncleaned))).Select(_idKey).ToListAsync(cancellationToken).ConfigureAwait(false);
        return ids.ConvertAll(IdText);
    }

    // Finished in one of the statuses before that status's own cutoff, not yet cleaned; statuses with one cutoff share a test.
    private BinaryExpression CandidateFilter(CleanupCandidateQuery query)
    {
        Expression? due = null;
        foreach (var group in query.Statuses.Distinct().GroupBy(query.FinishedBeforeFor))
        {
            var values = _statuses.ValuesOf(group);
            if (values.Length == 0)
            {
                continue;
            }

            var test = Expression.AndAlso(In(values, _status), Before(_finishedAt, group.Key));
            due = due is null ? test : Expression.OrElse(due, test);
        }

        return Expression.AndAlso(Uncleaned, due ?? Expression.Constant(false));
    }
}
