using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Testing;

namespace Retention.EntityFrameworkCore.Tests;

// The same suite on the real PostgreSQL server (a new database per test); also DateTimeOffset times with xmin as the
// row version. Skipped with the reason where there is no server, never under CI=true.

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresWordJobJobStoreContractTests : EfJobStoreContract<WordJob, OnPostgres>;

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresEnumJobJobStoreContractTests : EfJobStoreContract<EnumJob, OnPostgres>;

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresIntJobJobStoreContractTests : EfJobStoreContract<IntJob, OnPostgres>;

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresOffsetJobJobStoreContractTests : EfJobStoreContract<OffsetJob, OnPostgres>;

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresWordJobStorageUsageContractTests : EfStorageUsageContract<WordJob, OnPostgres>;

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresEnumJobStorageUsageContractTests : EfStorageUsageContract<EnumJob, OnPostgres>;

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresIntJobStorageUsageContractTests : EfStorageUsageContract<IntJob, OnPostgres>;

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresOffsetJobStorageUsageContractTests : EfStorageUsageContract<OffsetJob, OnPostgres>;

[SkipContractWhen(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresRunHistoryContractTests : EfRunHistoryContract<OnPostgres>;
