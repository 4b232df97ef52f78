using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retention.EntityFrameworkCore;
using Retention.Sqlite;

namespace Retention.Benchmarks;

/// <summary>
/// The same 100,000 jobs in two SQLite files: one the hand-written store's own <c>jobs.db</c>, one a host's EF Core model;
/// each with a cleanup engine over it (one root, no files: at scale most due jobs' data is long gone, and the files cost
/// both stores the same).
/// </summary>
internal sealed class SideBySideStores : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("retention-bench-ef-").FullName;

    public SideBySideStores(int jobs)
    {
        var root = Directory.CreateDirectory(Path.Combine(_directory, "results")).FullName;
        HandWrittenPath = Path.Combine(_directory, "jobs.db");
        EfCorePath = Path.Combine(_directory, "ef.db");

        // Nine in ten succeeded 20 days ago (due), one in ten still running.
        var records = Enumerable.Range(0, jobs).Select(i => new JobRecord($"job-{i:D7}", i % 10 == 9 ? JobStatus.Running : JobStatus.Succeeded)
        {
            JobType = "eemt",
            CreatedAt = Now.AddDays(-30),
            StartedAt = Now.AddDays(-30),
            CompletedAt = i % 10 == 9 ? null : Now.AddDays(-20),
        }).ToList();

        var handWritten = new ServiceCollection();
        handWritten.AddJobCleanup(o => o.AddRoot("results", root)).UseSqliteStore(o => o.DatabasePath = HandWrittenPath);
        HandWritten = handWritten.BuildServiceProvider();
        HandWrittenStore.UpsertAsync(records).GetAwaiter().GetResult();

        var efCore = new ServiceCollection();
        efCore.AddDbContextFactory<BenchContext>(o => o.UseSqlite($"Data Source={EfCorePath}"));
        efCore.AddJobCleanup(o => o.AddRoot("results", root)).UseEntityFrameworkCoreStore<BenchContext, BenchJob>(map => map
            .Id(j => j.Id)
            .Status(j => j.Status)
            .JobType(j => j.JobType)
            .CreatedAt(j => j.CreatedAt)
            .StartedAt(j => j.StartedAt)
            .CompletedAt(j => j.CompletedAt)
            .DataCleanedAt(j => j.DataCleanedAt)
            .ErrorMessage(j => j.ErrorMessage)
            .SizeBytes(j => j.SizeBytes));
        EfCore = efCore.BuildServiceProvider();
        using var context = EfCore.GetRequiredService<IDbContextFactory<BenchContext>>().CreateDbContext();
        context.Database.EnsureCreated();
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        context.Jobs.AddRange(records.Select(r => new BenchJob
        {
            Id = r.Id,
            Status = r.Status == JobStatus.Succeeded ? "completed" : "running",
            JobType = r.JobType,
            CreatedAt = r.CreatedAt.UtcDateTime,
            StartedAt = r.StartedAt?.UtcDateTime,
            CompletedAt = r.CompletedAt?.UtcDateTime,
        }));
        context.SaveChanges();
    }

    public string HandWrittenPath { get; }

    public string EfCorePath { get; }

    public ServiceProvider HandWritten { get; }

    public ServiceProvider EfCore { get; }

    public SqliteJobStore HandWrittenStore => HandWritten.GetRequiredService<SqliteJobStore>();

    public EntityFrameworkCoreJobStore<BenchContext, BenchJob> EfCoreStore => EfCore.GetRequiredService<EntityFrameworkCoreJobStore<BenchContext, BenchJob>>();

    /// <summary>Every job uncleaned again, in both files.</summary>
    public void Unmark()
    {
        Execute(HandWrittenPath, "UPDATE jobs SET data_cleaned_at = NULL; DELETE FROM cleanup_audit; DELETE FROM cleanup_runs;");
        Execute(EfCorePath, "UPDATE jobs SET \"DataCleanedAt\" = NULL; DELETE FROM retention_cleanup_runs;");
    }

    public void Dispose()
    {
        HandWritten.Dispose();
        EfCore.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
