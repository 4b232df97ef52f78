using Retention.Sqlite;
using WorkerHost;

// The seeds' background worker as a .NET Generic Host: it processes demo jobs that write real files, and the library keeps it
// clean by itself: start-up reset of jobs a crashed process left running, the stale-job reaper, scheduled cleanup, orphan sweeps.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
});

var worker = builder.Configuration.GetSection("Worker").Get<WorkerOptions>() ?? new WorkerOptions();
var dataDirectory = Path.GetFullPath(worker.DataDirectory);
var databasePath = Path.Combine(dataDirectory, "jobs.db");
var firstStart = !File.Exists(databasePath);
Directory.CreateDirectory(Path.Combine(dataDirectory, "uploads"));
Directory.CreateDirectory(Path.Combine(dataDirectory, "results"));

builder.Services.Configure<WorkerOptions>(builder.Configuration.GetSection("Worker"));
builder.Services
    .AddJobCleanup(builder.Configuration.GetSection("JobCleanup"), o =>
    {
        o.AddRoot("uploads", Path.Combine(dataDirectory, "uploads"));
        o.AddRoot("results", Path.Combine(dataDirectory, "results"));
        o.BasePath = dataDirectory;
    })
    .UseSqliteStore(o => o.DatabasePath = databasePath)
    .AddBackgroundCleanup();
builder.Services.AddHostedService<DemoJobProcessor>();
builder.Services.AddHostedService<StopAfter>();

using var host = builder.Build();
if (firstStart)
{
    await PreviousSession.SeedAsync(host.Services.GetRequiredService<SqliteJobStore>(), dataDirectory, DateTimeOffset.UtcNow, CancellationToken.None);
}

await host.RunAsync();
