using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Retention.Cleanup;
using Retention.Resilience;
using Retention.Stores.InMemory;

namespace Retention.Tests.Support;

/// <summary>A real job tree (uploads/, results/) and a container built the way a host builds it.</summary>
internal sealed class CleanupHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    private ServiceProvider? _services;

    public CleanupHarness()
    {
        Uploads = Tree.Dir("uploads");
        Results = Tree.Dir("results");
    }

    public TempTree Tree { get; } = new();

    public string Uploads { get; }

    public string Results { get; }

    public InMemoryJobStore Store { get; } = new();

    public TestClock Time { get; } = new(Now);

    public ListLoggerProvider Logs { get; } = new();

    /// <summary>Retries without waiting, so tests of transient failures are quick.</summary>
    public static ResiliencePipeline ImmediateRetries { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(RetentionResilience.IsTransient),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.Zero,
        })
        .Build();

    public ServiceProvider Services => _services ?? Build();

    public IJobCleaner Cleaner => Services.GetRequiredService<IJobCleaner>();

    public ServiceProvider Build(Action<IJobCleanupBuilder>? store = null, Action<JobCleanupOptions>? configure = null, Action<IServiceCollection>? before = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<TimeProvider>(Time);
        before?.Invoke(services);
        var builder = services.AddJobCleanup(o =>
        {
            o.AddRoot("uploads", Uploads).AddRoot("results", Results);
            o.ResiliencePipeline = ImmediateRetries;
            o.BasePath = Tree.Root;
            configure?.Invoke(o);
        });
        if (store is null)
        {
            builder.UseInMemoryStore(Store);
        }
        else
        {
            store(builder);
        }

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return _services;
    }

    /// <summary>A job in the seed's layout: uploads/{id}_dem.tif and results/{id}/ with two files.</summary>
    public JobRecord SeedJob(string id, JobStatus status, TimeSpan age, int inputBytes = 250, int outputBytes = 1000)
    {
        var job = JobLayout.Job(Tree, id, status, age, Now, inputBytes, outputBytes, logBytes: 24);
        Store.Upsert(job);
        return job;
    }

    /// <summary>Every file under the tree with its size, to compare before and after.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() =>
        Directory.EnumerateFiles(Tree.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => new FileInfo(f).Length);

    public void Dispose()
    {
        _services?.Dispose();
        Tree.Dispose();
    }
}
