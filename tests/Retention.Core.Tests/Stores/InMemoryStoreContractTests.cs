using Retention.Stores;
using Retention.Stores.InMemory;
using Retention.Testing;

namespace Retention.Tests.Stores;

public sealed class InMemoryRunHistoryContractTests : RunHistoryContract
{
    protected override Task<ICleanupRunStore> CreateStoreAsync() => Task.FromResult<ICleanupRunStore>(new InMemoryJobStore());
}

public sealed class InMemoryStorageUsageContractTests : StorageUsageContract<InMemoryJobStore>
{
    protected override Task<InMemoryJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        var store = new InMemoryJobStore();
        store.UpsertRange(jobs);
        return Task.FromResult(store);
    }
}

public sealed class InMemoryJobStoreContractTests : JobStoreContract<InMemoryJobStore>
{
    protected override Task<InMemoryJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        var store = new InMemoryJobStore();
        store.UpsertRange(jobs);
        return Task.FromResult(store);
    }
}

// A host's store with only the one interface every store has: the suite runs what applies to it and reports the
// tests of the capabilities it lacks as skipped, each with the capability's name.
public sealed class JobStoreOnlyContractTests : JobStoreContract<JobStoreOnlyContractTests.OnlyJobStore>
{
    protected override Task<OnlyJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        var store = new InMemoryJobStore();
        store.UpsertRange(jobs);
        return Task.FromResult(new OnlyJobStore(store));
    }

    public sealed class OnlyJobStore(InMemoryJobStore inner) : IJobStore
    {
        public IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default) =>
            inner.GetCleanupCandidatesAsync(query, cancellationToken);

        public ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default) =>
            inner.MarkDataCleanedAsync(jobs, cancellationToken);
    }
}
