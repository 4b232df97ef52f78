using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.Hosting.Tests.Support;

/// <summary>
/// A store whose database is down while <see cref="Failing"/> is set: reading candidates throws. The run history works
/// unless <see cref="HistoryFailing"/> is set.
/// </summary>
internal sealed class FailingStore(InMemoryJobStore inner) : DelegatingStore(inner)
{
    public bool Failing { get; set; } = true;

    public bool HistoryFailing { get; set; }

    public override IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default) =>
        Failing ? throw new InvalidOperationException("database is unreachable") : base.GetCleanupCandidatesAsync(query, cancellationToken);

    public override ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default) =>
        HistoryFailing ? throw new InvalidOperationException("history table is corrupt") : base.GetRunsAsync(query, cancellationToken);
}
