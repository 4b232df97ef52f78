using System.Runtime.CompilerServices;
using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.TestSupport;

/// <summary>The in-memory store, whose candidate stream waits for the test's go-ahead: a run held in progress.</summary>
public sealed class HeldStore(InMemoryJobStore inner) : DelegatingStore(inner)
{
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the run has started reading candidates.</summary>
    public Task Reading => _reading.Task;

    public void Release() => _go.TrySetResult();

    public override async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _reading.TrySetResult();
        await _go.Task.WaitAsync(cancellationToken);
        await foreach (var job in Inner.GetCleanupCandidatesAsync(query, cancellationToken))
        {
            yield return job;
        }
    }
}
