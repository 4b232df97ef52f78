using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retention.Cleanup;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Health;

/// <summary>A status word in a real SQLite store that no status is mapped to: said at start-up, kept for the status, degraded health.</summary>
public sealed class UnmappedStatusTests : IAsyncDisposable
{
    private readonly TempTree _tree = new();
    private readonly ListLoggerProvider _logs = new();
    private IHost? _host;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        SqliteConnection.ClearAllPools();
        _tree.Dispose();
    }

    [Fact]
    public async Task A_host_says_at_start_up_which_words_no_status_has_and_its_health_is_degraded_until_they_are_mapped()
    {
        var database = Path.Combine(_tree.Root, "jobs.db");
        _host = Build(database, succeededWords: null);
        await _host.StartAsync();
        await _host.Services.GetRequiredService<IJobExplainer>().FindUnmappedStatusesAsync(); // creates the schema
        Execute(database, "INSERT INTO jobs (id, status, created_at) VALUES ('a', 'done', '2024-01-01T00:00:00Z'), ('b', 'done', '2024-01-01T00:00:00Z'), ('c', 'completed', '2024-01-01T00:00:00Z')");
        await _host.StopAsync();
        _host.Dispose();
        _logs.Entries.Clear();

        _host = Build(database, succeededWords: null);
        await _host.StartAsync();
        await _logs.WaitForAsync("2 job(s) have the status 'done'");
        var health = await CheckAsync(_host);

        Assert.Equal("2 job(s) have the status 'done', which no status is mapped to: they are treated as running and never cleaned. Add the word to JobCleanup:Sqlite:StatusNames:{Status} (several words are separated by commas)", _logs.Messages.First(m => m.StartsWith("2 job(s)", StringComparison.Ordinal)));
        Assert.Equal(LogLevel.Warning, _logs.Entries.First(e => e.Event.Name == "UnmappedStatusWord").Level);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal("Status words no status is mapped to: 'done' (2 job(s)); their jobs are never cleaned until the words are mapped (StatusNames).", health.Description);
        await _host.StopAsync();
        _host.Dispose();

        _host = Build(database, succeededWords: "completed, done");
        await _host.StartAsync();
        await _host.Services.GetRequiredService<IJobExplainer>().FindUnmappedStatusesAsync();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(_host)).Status);
    }

    private IHost Build(string database, string? succeededWords)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddHealthChecks().AddJobCleanupCheck();
        builder.Services.AddJobCleanup(o => o.AddRoot("results", _tree.Dir("results")))
            .UseSqliteStore(o =>
            {
                o.DatabasePath = database;
                if (succeededWords is not null)
                {
                    o.StatusNames[JobStatus.Succeeded] = succeededWords;
                }
            })
            .AddBackgroundCleanup(o =>
            {
                o.Enabled = false;
                o.Reaper.Enabled = false;
            });
        return builder.Build();
    }

    private static async Task<HealthReportEntry> CheckAsync(IHost host) => (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["job-cleanup"];

    private static void Execute(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
