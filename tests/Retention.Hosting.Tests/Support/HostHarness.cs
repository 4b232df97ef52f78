using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retention.Cleanup;
using Retention.Stores.InMemory;

namespace Retention.Hosting.Tests.Support;

/// <summary>A real Generic Host over a real temp tree and the in-memory store, on a hand-set clock.</summary>
internal sealed class HostHarness : IAsyncDisposable
{
    /// <summary>A Saturday, 01:00 UTC: an hour before the default 02:00 schedule.</summary>
    public static readonly DateTimeOffset Start = new(2024, 3, 9, 1, 0, 0, TimeSpan.Zero);

    public HostHarness()
    {
        Uploads = Tree.Dir("uploads");
        Results = Tree.Dir("results");
    }

    public TempTree Tree { get; } = new();

    public string Uploads { get; }

    public string Results { get; }

    public InMemoryJobStore Store { get; } = new();

    public TestClock Time { get; } = new(Start);

    public ListLoggerProvider Logs { get; } = new();

    public RunRecorder Runs { get; } = new();

    public IHost? Host { get; private set; }

    public IServiceProvider Services => Host!.Services;

    public IHost Build(Action<BackgroundCleanupOptions>? background = null, string environment = "Production", Action<IJobCleanupBuilder>? more = null, Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(Time);
        var cleanup = builder.Services
            .AddJobCleanup(o =>
            {
                o.AddRoot("uploads", Uploads).AddRoot("results", Results);
                o.BasePath = Tree.Root;
            })
            .UseInMemoryStore(Store)
            .AddBackgroundCleanup(o =>
            {
                o.StartDelay = TimeSpan.Zero;
                o.Enabled = false; // each test turns on what it tests (AddBackgroundCleanup() alone schedules: ConfigurationTests)
                o.Reaper.Enabled = false;

                // One timer per wait, so a test sees a loop waiting for the instant it expects; the clock-check steps have their own test.
                o.ClockCheckInterval = TimeSpan.FromDays(1);

                // Off unless tested: its hourly timer would fall on the instant the schedule tests wait for.
                o.Outlook.RefreshInterval = TimeSpan.Zero;
                background?.Invoke(o);
            });
        more?.Invoke(cleanup);
        services?.Invoke(builder.Services);

        // Last, so a test that has a run's report knows every other notifier (the gauge, the webhook) has had it too.
        builder.Services.AddSingleton<ICleanupNotifier>(Runs);
        Host = builder.Build();
        return Host;
    }

    /// <summary>A finished job in the seed's layout: uploads/{id}_dem.tif and results/{id}/out.tif.</summary>
    public JobRecord SeedJob(string id, JobStatus status, TimeSpan age, int bytes = 1000)
    {
        var job = JobLayout.Job(Tree, id, status, age, Time.GetUtcNow(), bytes / 4, bytes);
        Store.Upsert(job);
        return job;
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.StopAsync();
            Host.Dispose();
        }

        Tree.Dispose();
    }
}
