using Retention;
using Retention.Stores.InMemory;
using Retention.Testing;

namespace Acme.Jobs.Tests;

// The host's own store would go here; the in-memory one stands in for it.
public sealed class InMemoryStoreContractTests : JobStoreContract<InMemoryJobStore>
{
    protected override Task<InMemoryJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        var store = new InMemoryJobStore();
        store.UpsertRange(jobs);
        return Task.FromResult(store);
    }
}
