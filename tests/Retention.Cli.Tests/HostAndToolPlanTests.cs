using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;

namespace Retention.Cli.Tests;

/// <summary>One <c>JobCleanup</c> section, read by a .NET host and by the tool: the same jobs are due in both.</summary>
public sealed class HostAndToolPlanTests : IDisposable
{
    private readonly Installation _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task The_same_settings_give_the_same_plan_from_a_host_and_from_the_tool()
    {
        _site.Job("job-completed-8d", "completed", TimeSpan.FromDays(8));
        _site.Job("job-completed-4d", "completed", TimeSpan.FromDays(4));
        _site.Job("job-completed-2d", "completed", TimeSpan.FromDays(2));
        _site.Job("job-failed-1d", "failed", TimeSpan.FromDays(1));
        _site.Job("job-failed-3h", "failed", TimeSpan.FromHours(3));
        _site.Job("job-cancelled-1d", "cancelled", TimeSpan.FromDays(1));
        _site.Job("job-running-5d", "running", TimeSpan.FromDays(5));
        _site.Job("job-pending-2d", "pending", TimeSpan.FromDays(2));
        Directory.CreateDirectory(Path.Combine(_site.Root, "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(_site.Root, "screenshots", "job-completed-2d.png"), new byte[10]);
        var settings = Path.Combine(_site.Root, "appsettings.json");
        await File.WriteAllTextAsync(settings, JsonSerializer.Serialize(new
        {
            JobCleanup = new
            {
                SucceededRetention = "3d",
                FailedRetention = "6h",
                Roots = new Dictionary<string, string>
                {
                    ["uploads"] = Path.Combine(_site.Root, "uploads"),
                    ["results"] = Path.Combine(_site.Root, "results"),
                    ["screenshots"] = Path.Combine(_site.Root, "screenshots"),
                },
                Conventions = new[] { new { Root = "screenshots", Pattern = "{jobId}.png", Kind = "output" } },
                Sqlite = new { DatabasePath = _site.Db },
            },
        }));

        var fromHost = await PlanInHostAsync(settings);
        var (exit, output, error) = await _site.Run("clean", "--dry-run", "--json", "--config", "appsettings.json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var fromTool = json.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("job_id").GetString()!).Order().ToArray();
        Assert.Equal(["job-cancelled-1d", "job-completed-4d", "job-completed-8d", "job-failed-1d"], fromHost);
        Assert.Equal(fromHost, fromTool);
    }

    // A host as its Program.cs would be: the appsettings file, AddJobCleanup(section), the SQLite store on its path.
    private static async Task<string[]> PlanInHostAsync(string settings)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new TestClock(Installation.Now));
        services.AddJobCleanup(configuration.GetSection("JobCleanup"))
            .UseSqliteStore(o => o.DatabasePath = configuration["JobCleanup:Sqlite:DatabasePath"]!);
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<IJobCleaner>().RunAsync(new CleanupRequest { DryRun = true, Trigger = "test" });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return [.. report.Jobs.Where(j => j.Outcome == JobCleanupOutcome.Cleaned).Select(j => j.JobId).Order()];
    }
}
