using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retention.EntityFrameworkCore.Model;
using Retention.EntityFrameworkCore.Tests.Jobs;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>The providers the store is tested on.</summary>
public enum Provider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A new database for one test (a SQLite file in a temporary directory, or a new database on the PostgreSQL server), its
/// schema created from <see cref="JobsContext{TJob}"/>'s model, and the host's services with a context factory over it.
/// </summary>
public sealed class TestDatabase<TJob>(Provider provider) : IAsyncDisposable
    where TJob : class, ITestJob<TJob>
{
    private readonly List<EntityFrameworkCoreJobStore<JobsContext<TJob>, TJob>> _stores = [];
    private string? _directory;
    private string? _postgres;

    public ServiceProvider Services { get; private set; } = null!;

    public string SqlitePath => Path.Combine(_directory!, "jobs.db");

    /// <summary>Configures a context over this database, for other containers (replicas) to register their own.</summary>
    public Action<DbContextOptionsBuilder> Configure { get; private set; } = _ => { };

    /// <summary>Creates the database and its schema, and registers the context as <paramref name="register"/> says (a factory by default).</summary>
    public async Task CreateAsync(Action<IServiceCollection, Action<DbContextOptionsBuilder>>? register = null)
    {
        string connection;
        if (provider == Provider.Sqlite)
        {
            _directory = Directory.CreateTempSubdirectory("retention-ef-").FullName;
            connection = $"Data Source={SqlitePath}";
        }
        else
        {
            connection = _postgres = await PostgresServer.CreateDatabaseAsync();
        }

        Configure = options => _ = provider == Provider.Sqlite ? options.UseSqlite(connection) : options.UseNpgsql(connection);
        var services = new ServiceCollection();
        (register ?? ((s, configure) => s.AddDbContextFactory<JobsContext<TJob>>(configure)))(services, Configure);
        Services = services.BuildServiceProvider();
        await using var scope = Services.CreateAsyncScope();
        await using var context = await OpenAsync(scope.ServiceProvider);
        await context.Database.EnsureCreatedAsync();
    }

    /// <summary>A database holding <paramref name="jobs"/> (and their artifacts), and a store over it.</summary>
    public async Task<EntityFrameworkCoreJobStore<JobsContext<TJob>, TJob>> CreateStoreAsync(IReadOnlyList<JobRecord> jobs)
    {
        await CreateAsync();
        await AddAsync(jobs);
        return NewStore();
    }

    public EntityFrameworkCoreJobStore<JobsContext<TJob>, TJob> NewStore()
    {
        var store = new EntityFrameworkCoreJobStore<JobsContext<TJob>, TJob>(Services, TJob.Map);
        _stores.Add(store);
        return store;
    }

    public async Task AddAsync(IEnumerable<JobRecord> jobs)
    {
        await using var scope = Services.CreateAsyncScope();
        await using var context = await OpenAsync(scope.ServiceProvider);
        foreach (var job in jobs)
        {
            context.Add(TJob.From(job));
            context.AddRange(job.Artifacts.Select(a => new RetentionJobArtifact { JobId = job.Id, Path = a.Path, Kind = a.Kind.Name, SizeBytes = a.SizeBytes }));
        }

        await context.SaveChangesAsync();
    }

    /// <summary>A context over the database, from the factory when one is registered, else from <paramref name="services"/> (a scope's).</summary>
    public async Task<JobsContext<TJob>> OpenAsync(IServiceProvider? services = null)
    {
        services ??= Services;
        return services.GetService<IDbContextFactory<JobsContext<TJob>>>() is { } factory
            ? await factory.CreateDbContextAsync()
            : services.GetRequiredService<JobsContext<TJob>>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        if (Services is not null)
        {
            await Services.DisposeAsync();
        }

        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }

        if (_postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgres);
        }
    }
}
