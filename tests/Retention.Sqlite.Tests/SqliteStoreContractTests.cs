using Retention.Stores;
using Retention.Testing;

namespace Retention.Sqlite.Tests;

public sealed class SqliteRunHistoryContractTests : RunHistoryContract, IDisposable
{
    private readonly ContractDatabase _db = new();

    protected override async Task<ICleanupRunStore> CreateStoreAsync() => await _db.CreateStoreAsync([]);

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteStorageUsageContractTests : StorageUsageContract<SqliteJobStore>, IDisposable
{
    private readonly ContractDatabase _db = new();

    protected override Task<SqliteJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public void Dispose() => _db.Dispose();
}

public sealed class SqliteJobStoreContractTests : JobStoreContract<SqliteJobStore>, IDisposable
{
    private readonly ContractDatabase _db = new();

    protected override Task<SqliteJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public void Dispose() => _db.Dispose();
}

/// <summary>A new database file for one contract test, and the store over it holding the given jobs.</summary>
internal sealed class ContractDatabase : IDisposable
{
    private readonly SeedDatabase _db = new(create: false);
    private SqliteJobStore? _store;

    public async Task<SqliteJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
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
