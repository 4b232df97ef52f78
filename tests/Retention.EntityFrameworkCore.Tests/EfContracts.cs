using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;
using Retention.Testing;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>Which provider a contract class runs on, as a type, so one generic class serves every provider.</summary>
public interface IProviderChoice
{
    static abstract Provider Provider { get; }
}

public sealed class OnSqlite : IProviderChoice
{
    public static Provider Provider => Provider.Sqlite;
}

public sealed class OnPostgres : IProviderChoice
{
    public static Provider Provider => Provider.Postgres;
}

// Two type parameters, so the contract discoverer looks past these to the store type of the contract they derive from.

/// <summary>The job store contract over the EF Core store of <typeparamref name="TJob"/>, a new database per test.</summary>
public abstract class EfJobStoreContract<TJob, TProvider> : JobStoreContract<EntityFrameworkCoreJobStore<JobsContext<TJob>, TJob>>, IAsyncLifetime
    where TJob : class, ITestJob<TJob>
    where TProvider : IProviderChoice
{
    private readonly TestDatabase<TJob> _db = new(TProvider.Provider);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<TJob>, TJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

/// <summary>The storage usage contract over the EF Core store of <typeparamref name="TJob"/>, a new database per test.</summary>
public abstract class EfStorageUsageContract<TJob, TProvider> : StorageUsageContract<EntityFrameworkCoreJobStore<JobsContext<TJob>, TJob>>, IAsyncLifetime
    where TJob : class, ITestJob<TJob>
    where TProvider : IProviderChoice
{
    private readonly TestDatabase<TJob> _db = new(TProvider.Provider);

    protected override Task<EntityFrameworkCoreJobStore<JobsContext<TJob>, TJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs) => _db.CreateStoreAsync(jobs);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}

/// <summary>The run history contract over the EF Core store, a new database per test.</summary>
public abstract class EfRunHistoryContract<TProvider> : RunHistoryContract, IAsyncLifetime
    where TProvider : IProviderChoice
{
    private readonly TestDatabase<WordJob> _db = new(TProvider.Provider);

    protected override async Task<ICleanupRunStore> CreateStoreAsync() => await _db.CreateStoreAsync([]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}
