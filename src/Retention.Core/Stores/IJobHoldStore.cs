namespace Retention.Stores;

/// <summary>
/// The optional store capability that keeps holds: several per job, each with an owner, a reason, a creation time and an
/// optional end. A store that has it skips jobs with a hold in force when <see cref="CleanupCandidateQuery.ExcludeHeldAt"/>
/// is set, and returns the holds with the jobs it streams and finds. <see cref="Retention.Holds.IJobHolds"/> validates
/// requests before they reach it.
/// </summary>
public interface IJobHoldStore
{
    /// <summary>Stores a hold (its <see cref="JobHold.JobId"/> names the job), and records who placed it where the store keeps an audit.</summary>
    /// <param name="hold">The hold, with its id, job id and creation time set.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the hold is stored.</returns>
    ValueTask AddHoldAsync(JobHold hold, CancellationToken cancellationToken = default);

    /// <summary>The holds in force at <paramref name="inForceAt"/>: one job's, or every job's, ordered by job id then creation.</summary>
    /// <param name="jobId">The job, or <see langword="null"/> for every job.</param>
    /// <param name="inForceAt">Holds that ended at or before this instant are left out.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The holds, each with its <see cref="JobHold.JobId"/>.</returns>
    ValueTask<IReadOnlyList<JobHold>> GetHoldsAsync(string? jobId, DateTimeOffset inForceAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// The holds in force at <paramref name="inForceAt"/> on any of the given jobs, in one read: a run reads a batch's holds
    /// again just before deleting its data, so a hold placed after the batch was read still keeps its job.
    /// </summary>
    /// <param name="jobIds">The jobs.</param>
    /// <param name="inForceAt">Holds that ended at or before this instant are left out.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The holds, each with its <see cref="JobHold.JobId"/>, in no particular order.</returns>
    ValueTask<IReadOnlyList<JobHold>> GetHoldsOfJobsAsync(IReadOnlyCollection<string> jobIds, DateTimeOffset inForceAt, CancellationToken cancellationToken = default);

    /// <summary>Removes a hold, and records who released it where the store keeps an audit.</summary>
    /// <param name="holdId">The hold's id.</param>
    /// <param name="releasedBy">Who released it.</param>
    /// <param name="releasedAt">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The hold released, or <see langword="null"/> when there is no hold with that id.</returns>
    ValueTask<JobHold?> ReleaseHoldAsync(string holdId, string releasedBy, DateTimeOffset releasedAt, CancellationToken cancellationToken = default);
}
