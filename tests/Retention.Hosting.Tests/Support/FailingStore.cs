using Retention.Cleanup;
using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.Hosting.Tests.Support;

/// <summary>A store whose database is down while <see cref="Failing"/> is set: reading candidates throws. The run history still works.</summary>
internal sealed class FailingStore(InMemoryJobStore inner) : IJobCleanupStore, ICleanupRunStore
{
    public bool Failing { get; set; } = true;

    public IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default) =>
        Failing ? throw new InvalidOperationException("database is unreachable") : inner.GetCleanupCandidatesAsync(query, cancellationToken);

    public ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default) => inner.MarkDataCleanedAsync(jobs, cancellationToken);

    public ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default) => inner.RecordRunAsync(report, cancellationToken);

    public ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default) => inner.GetRunsAsync(query, cancellationToken);
}
