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

    /// <summary>
    /// What the policy says of the data still on disk now: jobs with data past due and still present (with why each stays:
    /// the last run failed on it, or no run has reached it since it became due), and jobs with data that becomes due within
    /// <paramref name="window"/>. Reads every job whose data is not cleaned, once; sizes are the ones the store records;
    /// nothing is measured or deleted. Held and active jobs are in neither list.
    /// </summary>
    /// <param name="window">How far ahead to look for data that becomes due (zero: overdue data only).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counts, bytes and the first jobs of each list.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is negative.</exception>
    Task<Outlook.RetentionOutlook> GetOutlookAsync(TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>
    /// What replacing the policy in force with <paramref name="candidate"/> would change, before it is applied: for every
    /// job whose data is not cleaned, whether its data becomes due, stops being due, or falls due earlier or later, grouped
    /// by rule with job counts and recorded bytes. Nothing is touched.
    /// </summary>
    /// <param name="candidate">The policy to compare with the one in force.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The changes; empty when the candidate decides every job the same way.</returns>
    Task<Outlook.PolicyComparison> CompareAsync(Policies.RetentionPolicy candidate, CancellationToken cancellationToken = default);

    /// <summary>The policy in force: the configured one, as validated at start (a run's request may still override it).</summary>
    Policies.RetentionPolicy Policy { get; }
}
