using Retention.EntityFrameworkCore.Tests.Jobs;

namespace Retention.EntityFrameworkCore.Tests;

// The store conformance suite over the EF Core store on SQLite, with status words, an enum status and an integer status.

public sealed class SqliteWordJobJobStoreContractTests : EfJobStoreContract<WordJob, OnSqlite>;

public sealed class SqliteEnumJobJobStoreContractTests : EfJobStoreContract<EnumJob, OnSqlite>;

public sealed class SqliteIntJobJobStoreContractTests : EfJobStoreContract<IntJob, OnSqlite>;

public sealed class SqliteWordJobStorageUsageContractTests : EfStorageUsageContract<WordJob, OnSqlite>;

public sealed class SqliteEnumJobStorageUsageContractTests : EfStorageUsageContract<EnumJob, OnSqlite>;

public sealed class SqliteIntJobStorageUsageContractTests : EfStorageUsageContract<IntJob, OnSqlite>;

public sealed class SqliteRunHistoryContractTests : EfRunHistoryContract<OnSqlite>;
