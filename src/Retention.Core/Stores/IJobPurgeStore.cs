namespace Retention.Stores;

/// <summary>The store capability that deletes job records, needed only by policies with a purge rule.</summary>
public interface IJobPurgeStore
{
    /// <summary>
    /// Deletes the records (and their artifact rows) of these jobs, whose data is gone, in one batch. A job whose status is
    /// no longer <see cref="JobDataCleaned.ExpectedStatus"/> (re-queued meanwhile) is left alone; unknown ids are ignored.
    /// </summary>
    /// <param name="jobs">The jobs to purge, with the status each was planned in.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the batch is deleted.</returns>
    ValueTask PurgeJobsAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default);
}
