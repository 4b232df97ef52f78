using Retention.Cleanup;
using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.TestSupport;

/// <summary>The in-memory store behind a seam: a test overrides the one call it makes slow, held or broken.</summary>
public abstract class DelegatingStore(InMemoryJobStore inner) : IJobStore, ICleanupRunStore, ICleanupCandidateCounter
{
    protected InMemoryJobStore Inner { get; } = inner;

    public virtual IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default) =>
        Inner.GetCleanupCandidatesAsync(query, cancellationToken);

    public ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default) => Inner.MarkDataCleanedAsync(jobs, cancellationToken);

    public ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default) => Inner.RecordRunAsync(report, cancellationToken);

    public virtual ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default) => Inner.GetRunsAsync(query, cancellationToken);

    public Task<long> CountCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default) => Inner.CountCleanupCandidatesAsync(query, cancellationToken);
}
