namespace Retention.Stores;

/// <summary>An optional store capability: counting the candidates before a run, so its progress has a percentage.</summary>
public interface ICleanupCandidateCounter
{
    /// <summary>Counts the jobs <see cref="IJobStore.GetCleanupCandidatesAsync"/> would stream for <paramref name="query"/>.</summary>
    /// <param name="query">The candidate filter.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <returns>The count.</returns>
    Task<long> CountCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default);
}
