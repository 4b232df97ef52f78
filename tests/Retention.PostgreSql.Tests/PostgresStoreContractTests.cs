using Retention.StoreContract;
using Retention.Stores;

namespace Retention.PostgreSql.Tests;

// The same suite the in-memory and SQLite stores pass; each test gets a fresh schema in the class's database.

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresRunHistoryContractTests(PostgresDatabase database) : RunHistoryContract, IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private PostgresJobStore? _store;

    protected override Task<ICleanupRunStore> CreateStoreAsync() => Task.FromResult<ICleanupRunStore>(_store = database.NewStore());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (_store?.DisposeAsync() ?? ValueTask.CompletedTask);
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresStorageUsageContractTests(PostgresDatabase database) : StorageUsageContract<PostgresJobStore>, IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private PostgresJobStore? _store;

    protected override async Task<PostgresJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        _store = database.NewStore();
        await _store.UpsertAsync(jobs);
        return _store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (_store?.DisposeAsync() ?? ValueTask.CompletedTask);
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresJobStoreContractTests(PostgresDatabase database) : JobStoreContract<PostgresJobStore>, IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private PostgresJobStore? _store;

    protected override async Task<PostgresJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        _store = database.NewStore();
        await _store.UpsertAsync(jobs);
        return _store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (_store?.DisposeAsync() ?? ValueTask.CompletedTask);
}
