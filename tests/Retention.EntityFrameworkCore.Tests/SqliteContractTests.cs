using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;
using Retention.Testing;

namespace Retention.EntityFrameworkCore.Tests;

// The store conformance suite over the EF Core store on SQLite, with status words, an enum status and an integer status.

public sealed class SqliteWordJobJobStoreContractTests : JobStoreContract<EntityFrameworkCoreJobStore<JobsContext<WordJob>, WordJob>>, IAsyncLifetime
{
    private readonly TestDatabase<WordJob> _db = new(Provider.Sqlite);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<WordJob>, WordJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

public sealed class SqliteWordJobStorageUsageContractTests : StorageUsageContract<EntityFrameworkCoreJobStore<JobsContext<WordJob>, WordJob>>, IAsyncLifetime
{
    private readonly TestDatabase<WordJob> _db = new(Provider.Sqlite);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<WordJob>, WordJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

public sealed class SqliteEnumJobJobStoreContractTests : JobStoreContract<EntityFrameworkCoreJobStore<JobsContext<EnumJob>, EnumJob>>, IAsyncLifetime
{
    private readonly TestDatabase<EnumJob> _db = new(Provider.Sqlite);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<EnumJob>, EnumJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

public sealed class SqliteEnumJobStorageUsageContractTests : StorageUsageContract<EntityFrameworkCoreJobStore<JobsContext<EnumJob>, EnumJob>>, IAsyncLifetime
{
    private readonly TestDatabase<EnumJob> _db = new(Provider.Sqlite);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<EnumJob>, EnumJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

public sealed class SqliteIntJobJobStoreContractTests : JobStoreContract<EntityFrameworkCoreJobStore<JobsContext<IntJob>, IntJob>>, IAsyncLifetime
{
    private readonly TestDatabase<IntJob> _db = new(Provider.Sqlite);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<IntJob>, IntJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

public sealed class SqliteIntJobStorageUsageContractTests : StorageUsageContract<EntityFrameworkCoreJobStore<JobsContext<IntJob>, IntJob>>, IAsyncLifetime
{
    private readonly TestDatabase<IntJob> _db = new(Provider.Sqlite);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<IntJob>, IntJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

public sealed class SqliteRunHistoryContractTests : RunHistoryContract, IAsyncLifetime
{
    private readonly TestDatabase<WordJob> _db = new(Provider.Sqlite);

    protected override async Task<ICleanupRunStore> CreateStoreAsync() => await _db.CreateStoreAsync([]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}
