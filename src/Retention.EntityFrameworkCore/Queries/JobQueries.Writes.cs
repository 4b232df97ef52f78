using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>Writes, each one set-based statement whose <c>WHERE</c> is the compare-and-set: marks, purges and failing a stuck job.</summary>
internal sealed partial class JobQueries<TJob, TId, TStatus, TTime>
{
    /// <inheritdoc />
    public async Task MarkAsync(DbContext context, IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken)
    {
        // One UPDATE per planned status and cleaning time (a run's batch has one or two): still in that status, not cleaned
        // meanwhile, and, where a version is mapped, at the version the job was read in.
        foreach (var group in jobs.GroupBy(j => (j.ExpectedStatus, j.CleanedAt)))
        {
            var match = Expression.AndAlso(Expression.AndAlso(Planned(group.Select(j => (j.JobId, j.ExpectedVersion))), StatusIn([group.Key.ExpectedStatus])), Uncleaned);
            var cleanedAt = (TTime?)EntityTime.To<TTime>(group.Key.CleanedAt);
            await new UpdateSetters<TJob>()
                .SetUntyped(_map.DataCleanedAtMember!, cleanedAt)
                .ExecuteAsync(context.Set<TJob>().Where(Where(match)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<List<string>> PurgeAsync(DbContext context, IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken)
    {
        var purged = new List<string>();
        foreach (var group in jobs.GroupBy(j => j.ExpectedStatus))
        {
            var match = Where(Expression.AndAlso(In(ParseIds(group.Select(j => j.JobId)), _id), StatusIn([group.Key])));

            // The ids first, so the caller deletes their artifact rows; the caller's transaction keeps the two in step.
            var ids = await context.Set<TJob>().Where(match).Select(_idKey).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (ids.Count > 0)
            {
                await context.Set<TJob>().Where(Where(Expression.AndAlso(In(ids, _id), StatusIn([group.Key])))).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                purged.AddRange(ids.Select(IdText));
            }
        }

        return purged;
    }

    /// <inheritdoc />
    public async Task<bool> TryFailAsync(DbContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        if (!TryParseId(failure.JobId, out var id))
        {
            return false;
        }

        var setters = new UpdateSetters<TJob>()
            .Set((Expression<Func<TJob, TStatus>>)_map.StatusMember!, _statuses.Written(JobStatus.Failed))
            .SetUntyped(_map.CompletedAtMember!, EntityTime.To<TTime>(failure.CompletedAt));
        if (_map.ErrorMessageMember is { } error)
        {
            setters.Set(error, failure.ErrorMessage);
        }

        var match = Expression.AndAlso(IdIs(id), StatusIn([failure.ExpectedStatus]));
        return await setters.ExecuteAsync(context.Set<TJob>().Where(Where(match)), cancellationToken).ConfigureAwait(false) == 1;
    }

    // Jobs by id, and those read with a version by id and version: (id IN (...)) OR (id = @a AND version = @va) OR ...
    private Expression Planned(IEnumerable<(string Id, long? Version)> jobs)
    {
        var all = jobs.ToList();
        var versioned = _map.RowVersionMember is null ? [] : all.Where(j => j.Version is not null).ToList();
        Expression match = In(ParseIds(all.Where(j => j.Version is null || _map.RowVersionMember is null).Select(j => j.Id)), _id);
        if (versioned.Count == 0)
        {
            return match;
        }

        var version = Body(_map.RowVersionMember)!;
        foreach (var job in versioned)
        {
            if (TryParseId(job.Id, out var id))
            {
                var expected = Expression.Convert(QueryParameter.Of<object>(Convert.ChangeType(job.Version!.Value, Nullable.GetUnderlyingType(version.Type) ?? version.Type, System.Globalization.CultureInfo.InvariantCulture)), version.Type);
                match = Expression.OrElse(match, Expression.AndAlso(IdIs(id), Expression.Equal(version, expected)));
            }
        }

        return match;
    }
}
