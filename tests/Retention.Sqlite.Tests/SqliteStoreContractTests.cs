using Retention.StoreContract;
using Retention.Stores;

namespace Retention.Sqlite.Tests;

public sealed class SqliteRunHistoryContractTests : RunHistoryContract, IDisposable
{
    private readonly SeedDatabase _db = new(create: false);
    private SqliteJobStore? _store;

    protected override Task<ICleanupRunStore> CreateStoreAsync() => Task.FromResult<ICleanupRunStore>(_store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath }));

    public void Dispose()
    {
        _store?.Dispose();
        _db.Dispose();
    }
}

public sealed class SqliteStorageUsageContractTests : StorageUsageContract<SqliteJobStore>, IDisposable
{
    private readonly SeedDatabase _db = new(create: false);
    private SqliteJobStore? _store;

    protected override async Task<SqliteJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        _store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath });
        await _store.UpsertAsync(jobs);
        return _store;
    }

    public void Dispose()
    {
        _store?.Dispose();
        _db.Dispose();
    }
}

public sealed class SqliteJobStoreContractTests : JobStoreContract<SqliteJobStore>, IDisposable
{
    private readonly SeedDatabase _db = new(create: false);
    private SqliteJobStore? _store;

    protected override async Task<SqliteJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        _store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath });
        await _store.UpsertAsync(jobs);
        return _store;
    }

    public void Dispose()
    {
        _store?.Dispose();
        _db.Dispose();
    }
}
