using Retention.StoreContract;
using Retention.Stores;
using Retention.Stores.InMemory;

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
