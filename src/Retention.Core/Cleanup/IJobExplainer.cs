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

    /// <summary>The policy in force: the configured one, as validated at start (a run's request may still override it).</summary>
    Policies.RetentionPolicy Policy { get; }
}
