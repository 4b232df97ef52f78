using Microsoft.Extensions.DependencyInjection;
using Polly;
using Retention.Cleanup;

namespace Retention.Sqlite.Tests;

/// <summary>
/// Another process locks the database after a run has deleted a batch's files and before the batch is recorded: the run
/// records them once the lock clears, or, when it does not clear in time, fails naming every job it deleted and did not
/// record, and the next run records them.
/// </summary>
public sealed class LockedMidRunTests : IDisposable
{
    private static readonly string[] JobIds = ["job-1", "job-2", "job-3", "job-4", "job-5", "job-6"];
    private readonly SeedDatabase _db = new();
    private readonly TestClock _clock = new(SeedDatabase.Now);

    public LockedMidRunTests()
    {
        foreach (var id in JobIds)
        {
            _db.AddJob(id, "failed", TimeSpan.FromDays(2));
        }
    }

    public void Dispose() => _db.Dispose();

    private SqliteJobStore Store() => new(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath, BusyTimeout = TimeSpan.FromMilliseconds(50) });

    private ServiceProvider Services(Func<IServiceProvider, Retention.Stores.IJobStore> store, TimeSpan recordingTimeout)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddJobCleanup(o =>
            {
                o.AddRoot("uploads", _db.Uploads).AddRoot("results", _db.Results);
                o.ResiliencePipeline = ResiliencePipeline.Empty; // only the engine's own wait for recording
                o.BatchSize = 2;
                o.MaxParallelDeletions = 1;
                o.RecordingTimeout = recordingTimeout;
            })
            .UseStore(store);
        return services.BuildServiceProvider();
    }

    private bool Deleted(string id) => !Directory.Exists(Path.Combine(_db.Results, id)) && !File.Exists(Path.Combine(_db.Uploads, id + "_dem.tif"));

    private List<string> Recorded() =>
        _db.Query("SELECT id FROM jobs WHERE data_cleaned_at IS NOT NULL ORDER BY id").Select(r => (string)r[0]!).ToList();

    [Fact]
    public async Task A_lock_that_clears_within_the_recording_timeout_lets_the_same_run_record_every_deleted_job()
    {
        using var sqlite = Store();
        using var locked = new LockedWhileMarking(sqlite, _db.ConnectionString, releaseAfterFailedMarks: 3);
        await using var services = Services(_ => locked, TimeSpan.FromHours(1));

        CleanupReport report;
        await using (new ClockPump(_clock))
        {
            report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);
        }

        Assert.Equal(3, locked.FailedMarks); // the lock was met, and waited out
        Assert.Equal((CleanupOutcome.Completed, null), (report.Outcome, report.Error));
        Assert.Empty(report.UnrecordedJobIds);
        Assert.Equal(JobIds.Length, report.Stats.JobsCleaned);
        Assert.All(JobIds, id => Assert.True(Deleted(id), id));
        Assert.Equal(JobIds, Recorded());
        Assert.Equal((long)JobIds.Length, _db.Scalar("SELECT COUNT(*) FROM cleanup_audit"));
    }

    [Fact]
    public async Task A_lock_held_past_the_recording_timeout_fails_the_run_naming_each_deleted_unrecorded_job_and_the_next_run_records_them()
    {
        using var sqlite = Store();
        CleanupReport report;
        using (var locked = new LockedWhileMarking(sqlite, _db.ConnectionString))
        {
            await using var services = Services(_ => locked, TimeSpan.FromMinutes(1));
            await using (new ClockPump(_clock))
            {
                report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);
            }

            Assert.True(locked.FailedMarks > 1, $"failed marks: {locked.FailedMarks}"); // retried before giving up
        }

        // Every job whose data is gone and whose record says otherwise is named; nothing is recorded cleaned that holds data.
        var deletedUnrecorded = JobIds.Where(Deleted).Except(Recorded()).ToList();
        Assert.Equal(CleanupOutcome.Failed, report.Outcome);
        Assert.NotEmpty(deletedUnrecorded);
        Assert.Equal(deletedUnrecorded, report.UnrecordedJobIds.Order());
        Assert.All(Recorded(), id => Assert.True(Deleted(id), id));
        Assert.Contains($"The data of {deletedUnrecorded.Count} job(s) was deleted but they could not be recorded cleaned", report.Error, StringComparison.Ordinal);
        Assert.Contains("is locked by another process (SQLITE_BUSY)", report.Error, StringComparison.Ordinal);
        Assert.All(deletedUnrecorded, id => Assert.Contains(id, report.Error, StringComparison.Ordinal));

        // The lock is gone: the next run finds their data gone and records them, and cleans the rest.
        await using (var services = Services(_ => sqlite, TimeSpan.FromMinutes(1)))
        {
            var next = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);
            Assert.Equal(CleanupOutcome.Completed, next.Outcome);
        }

        Assert.All(JobIds, id => Assert.True(Deleted(id), id));
        Assert.Equal(JobIds, Recorded());
    }
}
