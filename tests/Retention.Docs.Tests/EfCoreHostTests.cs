using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retention.Cleanup;
using Retention.Docs.Snippets;

namespace Retention.Docs;

/// <summary>The host of docs/stores.md's first section, as written: its own entity and context, a real run over real files.</summary>
public sealed class EfCoreHostTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("retention-docs-ef-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task The_hosts_own_jobs_are_cleaned_from_disk_with_no_sql_of_its_own()
    {
        var results = Directory.CreateDirectory(Path.Combine(_root, "results")).FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _root });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jobs"] = $"Data Source={Path.Combine(_root, "app.db")}",
            ["JobCleanup:Roots:results"] = results,
        });
        await using var app = EfCoreHost.Build(builder);
        var now = DateTime.UtcNow;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            await db.Database.EnsureCreatedAsync(); // what the host's migration does
            db.Jobs.AddRange(
                new Job { Id = 1, State = "done", StartedAt = now.AddDays(-41), CompletedAt = now.AddDays(-40) },
                new Job { Id = 2, State = "crashed", StartedAt = now.AddDays(-41), CompletedAt = now.AddDays(-40) },
                new Job { Id = 3, State = "running", StartedAt = now.AddDays(-41) },
                new Job { Id = 4, State = "done", StartedAt = now.AddHours(-2), CompletedAt = now.AddHours(-1) });
            await db.SaveChangesAsync();
        }

        foreach (var id in new[] { 1, 2, 3, 4 })
        {
            await File.WriteAllBytesAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(results, $"{id}")).FullName, "out.bin"), new byte[1000]);
        }

        var report = await app.Services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.Equal((CleanupOutcome.Completed, 2L, 2000L), (report.Outcome, report.Stats.JobsCleaned, report.Stats.BytesFreed));
        Assert.Equal(["3", "4"], Directory.GetDirectories(results).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await using var check = app.Services.CreateAsyncScope();
        Assert.Equal([1, 2], await check.ServiceProvider.GetRequiredService<AppDb>().Jobs.Where(j => j.DataCleanedAt != null).OrderBy(j => j.Id).Select(j => j.Id).ToListAsync());
    }
}
