using System.Runtime.CompilerServices;
using Retention.Cleanup;
using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.AspNetCore.Tests.Support;

/// <summary>The in-memory store, whose candidate stream waits for the test's go-ahead: a run held in progress.</summary>
internal sealed class HeldStore(InMemoryJobStore inner) : IJobCleanupStore, ICleanupRunStore
{
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Reading => _reading.Task;

    public void Release() => _go.TrySetResult();

    public async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _reading.TrySetResult();
        await _go.Task.WaitAsync(cancellationToken);
        await foreach (var job in inner.GetCleanupCandidatesAsync(query, cancellationToken))
        {
            yield return job;
        }
    }

    public ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default) => inner.MarkDataCleanedAsync(jobs, cancellationToken);

    public ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default) => inner.RecordRunAsync(report, cancellationToken);

    public ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default) => inner.GetRunsAsync(query, cancellationToken);
}
