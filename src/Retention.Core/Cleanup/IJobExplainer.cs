using Retention.Policies;

namespace Retention.Cleanup;

/// <summary>Says why each of a job's artifacts is kept or due, and when: the same decision a run would make now.</summary>
public interface IJobExplainer
{
    /// <summary>Evaluates one job, with the artifacts the store records and the ones the conventions find.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The decision, or <see langword="null"/> when the store has no such job.</returns>
    /// <exception cref="RetentionConfigurationException">The store cannot look jobs up (it does not implement <see cref="Stores.IJobLookupStore"/>).</exception>
    Task<JobRetentionDecision?> ExplainAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The status words in the store that no status is mapped to (read from a store that implements
    /// <see cref="Stores.IStatusWordStore"/>; empty for one that does not). Their jobs read as running and are never
    /// cleaned, so each is logged as a warning and kept in <see cref="ICleanupStatus"/>'s snapshot for the health check.
    /// Every run checks at its start; a host checks at start-up.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The unmapped words with their job counts.</returns>
    Task<IReadOnlyList<Stores.UnmappedStatusWord>> FindUnmappedStatusesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Measures on disk what jobs whose data is not cleaned hold, by status (<see cref="Stores.StorageUsage.Status"/> is
    /// the status's word, <c>succeeded</c>): each job's artifacts, the store's and the conventions', walked file by file
    /// and nothing deleted. For stores that record no sizes; it reads every such job, so it is slower than
    /// <see cref="Stores.IStorageUsageStore"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>One row per status that has such jobs.</returns>
    Task<IReadOnlyList<Stores.StorageUsage>> MeasureStorageAsync(CancellationToken cancellationToken = default);

    /// <summary>The policy in force: the configured one, as validated at start (a run's request may still override it).</summary>
    Policies.RetentionPolicy Policy { get; }
}
