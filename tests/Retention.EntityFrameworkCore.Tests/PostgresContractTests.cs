using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;
using Retention.Testing;

namespace Retention.EntityFrameworkCore.Tests;

// The same suite on the real PostgreSQL server (a new database per test); also DateTimeOffset times with xmin as the row version.

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresWordJobJobStoreContractTests : JobStoreContract<EntityFrameworkCoreJobStore<JobsContext<WordJob>, WordJob>>, IAsyncLifetime
{
    private readonly TestDatabase<WordJob> _db = new(Provider.Postgres);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<WordJob>, WordJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresWordJobStorageUsageContractTests : StorageUsageContract<EntityFrameworkCoreJobStore<JobsContext<WordJob>, WordJob>>, IAsyncLifetime
{
    private readonly TestDatabase<WordJob> _db = new(Provider.Postgres);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<WordJob>, WordJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresEnumJobJobStoreContractTests : JobStoreContract<EntityFrameworkCoreJobStore<JobsContext<EnumJob>, EnumJob>>, IAsyncLifetime
{
    private readonly TestDatabase<EnumJob> _db = new(Provider.Postgres);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<EnumJob>, EnumJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresEnumJobStorageUsageContractTests : StorageUsageContract<EntityFrameworkCoreJobStore<JobsContext<EnumJob>, EnumJob>>, IAsyncLifetime
{
    private readonly TestDatabase<EnumJob> _db = new(Provider.Postgres);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<EnumJob>, EnumJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresIntJobJobStoreContractTests : JobStoreContract<EntityFrameworkCoreJobStore<JobsContext<IntJob>, IntJob>>, IAsyncLifetime
{
    private readonly TestDatabase<IntJob> _db = new(Provider.Postgres);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<IntJob>, IntJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresIntJobStorageUsageContractTests : StorageUsageContract<EntityFrameworkCoreJobStore<JobsContext<IntJob>, IntJob>>, IAsyncLifetime
{
    private readonly TestDatabase<IntJob> _db = new(Provider.Postgres);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<IntJob>, IntJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresOffsetJobJobStoreContractTests : JobStoreContract<EntityFrameworkCoreJobStore<JobsContext<OffsetJob>, OffsetJob>>, IAsyncLifetime
{
    private readonly TestDatabase<OffsetJob> _db = new(Provider.Postgres);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<OffsetJob>, OffsetJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresOffsetJobStorageUsageContractTests : StorageUsageContract<EntityFrameworkCoreJobStore<JobsContext<OffsetJob>, OffsetJob>>, IAsyncLifetime
{
    private readonly TestDatabase<OffsetJob> _db = new(Provider.Postgres);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<OffsetJob>, OffsetJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresRunHistoryContractTests : RunHistoryContract, IAsyncLifetime
{
    private readonly TestDatabase<WordJob> _db = new(Provider.Postgres);

    protected override async Task<ICleanupRunStore> CreateStoreAsync() => await _db.CreateStoreAsync([]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}
