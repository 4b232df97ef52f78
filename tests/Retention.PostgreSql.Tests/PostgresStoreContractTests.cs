using Retention.Stores;
using Retention.Testing;

namespace Retention.PostgreSql.Tests;

// The same suite the in-memory and SQLite stores pass; each test gets a fresh schema in the class's database, whose
// fixture disposes the stores.

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresRunHistoryContractTests(PostgresDatabase database) : RunHistoryContract, IClassFixture<PostgresDatabase>
{
    protected override Task<ICleanupRunStore> CreateStoreAsync() => Task.FromResult<ICleanupRunStore>(database.NewStore());
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresStorageUsageContractTests(PostgresDatabase database) : StorageUsageContract<PostgresJobStore>, IClassFixture<PostgresDatabase>
{
    protected override Task<PostgresJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => database.NewStoreAsync(jobs);
}

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresJobStoreContractTests(PostgresDatabase database) : JobStoreContract<PostgresJobStore>, IClassFixture<PostgresDatabase>
{
    protected override Task<PostgresJobStore> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => database.NewStoreAsync(jobs);
}
