// Retention.Core in one screen: a demo tree of job folders, the in-memory store, a stale-job sweep,
// a dry run, then the real run. Usage: dotnet run --project samples/QuickStart [-- <demo-folder>]
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QuickStart;
using Retention;
using Retention.Cleanup;
using Retention.Reaping;
using Retention.Stores.InMemory;

var root = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "retention-quickstart"));
if (Directory.Exists(root))
{
    Directory.Delete(root, recursive: true);
}

var store = new InMemoryJobStore();
DemoTree.Create(root, store, DateTimeOffset.UtcNow);
Console.WriteLine($"Demo tree: {root} ({store.Count} jobs)");

var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss ")).SetMinimumLevel(LogLevel.Information));
services.AddJobCleanup(options =>
    {
        options.AddRoot("uploads", Path.Combine(root, "uploads"));
        options.AddRoot("results", Path.Combine(root, "results"));
        options.StaleJobs.ExecutionTimeout = TimeSpan.FromHours(6);
    })
    .UseInMemoryStore(store);

await using var provider = services.BuildServiceProvider();
var reaper = provider.GetRequiredService<IStaleJobReaper>();
var cleaner = provider.GetRequiredService<IJobCleaner>();

Console.WriteLine();
Console.WriteLine("== Stale jobs (running longer than 6 hours) ==");
var reaped = await reaper.ReapStuckJobsAsync();
foreach (var job in reaped.Reaped)
{
    Console.WriteLine($"  {job.JobId}: {job.ErrorMessage}");
}

Console.WriteLine();
Console.WriteLine("== Dry run ==");
Print(await cleaner.RunAsync(CleanupRequest.Preview));

Console.WriteLine();
Console.WriteLine("== Cleanup ==");
var report = await cleaner.RunAsync(CleanupRequest.Default);
Print(report);

Console.WriteLine();
Console.WriteLine("Left on disk:");
foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.TopDirectoryOnly).SelectMany(Directory.EnumerateFileSystemEntries).Order(StringComparer.Ordinal))
{
    Console.WriteLine("  " + Path.GetRelativePath(root, entry));
}

return report.Succeeded ? 0 : 1;

static void Print(CleanupReport report)
{
    var verb = report.DryRun ? "Would clean" : "Cleaned";
    Console.WriteLine($"{verb} {report.Stats.CleanedIn(JobStatus.Succeeded)} successful and {report.Stats.CleanedIn(JobStatus.Failed)} failed job(s), " +
        $"{(report.DryRun ? "freeing ~" : "freed ")}{ByteSize.Format(report.Stats.BytesFreed)} ({report.Outcome}, {report.Stats.JobsSkipped} not yet due, {report.Stats.JobsProtected} protected)");
    foreach (var job in report.Jobs)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {job.JobId,-22} {job.Status,-10} {job.AgeDays,5:0.0} days  {ByteSize.Format(job.BytesFreed),9}  {job.Outcome}: {job.Reason}"));
    }
}
