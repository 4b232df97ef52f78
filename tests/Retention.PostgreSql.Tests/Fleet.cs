using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;

namespace Retention.PostgreSql.Tests;

/// <summary>
/// A fleet of replicas for the tests: each one its own container, engine and store (its own connection pool) over one
/// database schema and one tree of real files, as replicas of a host application would be.
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    private readonly List<ServiceProvider> _replicas = [];

    public Fleet(PostgresDatabase database, TempTree tree, int replicas, Action<JobCleanupOptions>? configure = null, Action<PostgresJobStoreOptions>? store = null)
    {
        Schema = "fleet_" + Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < replicas; i++)
        {
            var services = new ServiceCollection();
            services.AddJobCleanup(o =>
                {
                    o.AddRoot("uploads", tree.Dir("uploads")).AddRoot("results", tree.Dir("results"));
                    o.BatchSize = 100;
                    o.MaxReportedJobs = 1_000_000;
                    configure?.Invoke(o);
                })
                .UsePostgresStore(p =>
                {
                    p.ConnectionString = database.ConnectionString;
                    p.Schema = Schema;
                    store?.Invoke(p);
                });
            _replicas.Add(services.BuildServiceProvider());
        }
    }

    public string Schema { get; }

    public IReadOnlyList<ServiceProvider> Replicas => _replicas;

    public PostgresJobStore Store(int replica) => _replicas[replica].GetRequiredService<PostgresJobStore>();

    public IJobCleaner Cleaner(int replica) => _replicas[replica].GetRequiredService<IJobCleaner>();

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }
}
