namespace Retention.Stores;

/// <summary>The store capability that deletes job records, needed only by policies with a purge rule.</summary>
public interface IJobPurgeStore
{
    /// <summary>Deletes the records (and their artifact rows) of these jobs, in one batch. Unknown ids are ignored.</summary>
    /// <param name="jobIds">The jobs to purge.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the batch is deleted.</returns>
    ValueTask PurgeJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken = default);
}
