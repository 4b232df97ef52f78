// A host app's first use of the packages: register AddJobCleanup() with the SQLite store, preview, clean, check.
using Microsoft.Extensions.DependencyInjection;
using Retention;
using Retention.Cleanup;
using Retention.Sqlite;

var root = Directory.CreateTempSubdirectory("retention-consumer-").FullName;
try
{
    var now = DateTimeOffset.UtcNow;
    JobRecord Job(string id, JobStatus status, TimeSpan age)
    {
        File.WriteAllBytes(Path.Combine(root, "uploads", $"{id}_dem.tif"), new byte[4096]);
        Directory.CreateDirectory(Path.Combine(root, "results", id));
        File.WriteAllBytes(Path.Combine(root, "results", id, "out.tif"), new byte[8192]);
        return new JobRecord(id, status) { CreatedAt = now - age, StartedAt = now - age, CompletedAt = status == JobStatus.Running ? null : now - age };
    }

    Directory.CreateDirectory(Path.Combine(root, "uploads"));
    Directory.CreateDirectory(Path.Combine(root, "results"));
    var services = new ServiceCollection();
    services.AddJobCleanup(o => o.AddRoot("uploads", Path.Combine(root, "uploads")).AddRoot("results", Path.Combine(root, "results")))
        .UseSqliteStore(o => o.DatabasePath = Path.Combine(root, "jobs.db"));
    await using var provider = services.BuildServiceProvider();
    await provider.GetRequiredService<SqliteJobStore>().UpsertAsync([
        Job("job-old", JobStatus.Succeeded, TimeSpan.FromDays(8)),
        Job("job-new", JobStatus.Succeeded, TimeSpan.FromDays(1)),
        Job("job-running", JobStatus.Running, TimeSpan.FromDays(3))]);
    var cleaner = provider.GetRequiredService<IJobCleaner>();

    var preview = await cleaner.RunAsync(CleanupRequest.Preview);
    var report = await cleaner.RunAsync(CleanupRequest.Default);

    Console.WriteLine($"Retention {typeof(IJobCleaner).Assembly.GetName().Version} on .NET {Environment.Version}: " +
        $"preview {preview.Stats.JobsCleaned} job(s), {ByteSize.Format(preview.Stats.BytesFreed)}; cleaned {report.Stats.JobsCleaned} job(s), {ByteSize.Format(report.Stats.BytesFreed)}");
    var ok = preview.Stats.JobsCleaned == 1 && report.Stats.JobsCleaned == 1 && report.Stats.BytesFreed == 12288
        && !Directory.Exists(Path.Combine(root, "results", "job-old")) && !File.Exists(Path.Combine(root, "uploads", "job-old_dem.tif"))
        && Directory.Exists(Path.Combine(root, "results", "job-new")) && Directory.Exists(Path.Combine(root, "results", "job-running"));
    Console.WriteLine(ok ? "Package consumer check passed" : "Package consumer check FAILED");
    return ok ? 0 : 1;
}
finally
{
    Directory.Delete(root, recursive: true);
}
