namespace Retention.Stores;

/// <summary>
/// An optional <see cref="IStaleJobStore"/> refinement: fail every stale job in one conditional update, so a job that
/// completes at the same moment is either completed or failed, never both, and several instances reaping at once fail each job once.
/// </summary>
public interface IBulkStaleJobStore : IStaleJobStore
{
    /// <summary>
    /// In one transaction, marks failed every job that matches <paramref name="query"/> at the moment of the update, sets its
    /// completion time to <paramref name="completedAt"/> and its error to <paramref name="message"/> of the job as it was.
    /// </summary>
    /// <param name="query">The statuses and start cutoff.</param>
    /// <param name="completedAt">The completion time to record (UTC).</param>
    /// <param name="message">The error message for a job, given the job as it was before the update.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The jobs this call failed, as they were before it.</returns>
    ValueTask<IReadOnlyList<JobRecord>> FailStaleJobsAsync(StaleJobQuery query, DateTimeOffset completedAt, Func<JobRecord, string> message, CancellationToken cancellationToken = default);
}
