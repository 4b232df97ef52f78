using Microsoft.Extensions.DependencyInjection;
using Moq;
using Retention.Reaping;
using Retention.Stores;
using Retention.Tests.Support;

namespace Retention.Tests.Reaping;

public sealed class StaleJobReaperTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    private IStaleJobReaper Reaper => _h.Services.GetRequiredService<IStaleJobReaper>();

    private JobRecord Active(string id, JobStatus status, TimeSpan runningFor, string? type = "scrape")
    {
        var job = new JobRecord(id, status)
        {
            JobType = type,
            CreatedAt = CleanupHarness.Now - runningFor - TimeSpan.FromSeconds(5),
            StartedAt = status == JobStatus.Running ? CleanupHarness.Now - runningFor : null,
        };
        _h.Store.Upsert(job);
        return job;
    }

    [Fact]
    public async Task Runtime_fails_jobs_past_timeout_plus_buffer_with_the_seed_message()
    {
        _h.Build(configure: o => (o.StaleJobs.ExecutionTimeout, o.StaleJobs.Buffer) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));
        Active("exec-123", JobStatus.Running, new TimeSpan(0, 7, 42));
        Active("exec-124", JobStatus.Pending, new TimeSpan(0, 8, 15));
        Active("exec-fresh", JobStatus.Running, TimeSpan.FromMinutes(5.5));
        Active("exec-scheduled", JobStatus.Scheduled, TimeSpan.FromHours(3));

        var report = await Reaper.ReapStuckJobsAsync();

        Assert.Equal(2, report.JobsFound);
        var failed = _h.Store.Find("exec-123")!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("Execution stuck for 0:07:42. Automatically terminated by cleanup job.", failed.ErrorMessage);
        Assert.Equal(CleanupHarness.Now, failed.CompletedAt);
        Assert.Equal(JobStatus.Failed, _h.Store.Find("exec-124")!.Status);
        Assert.Equal(JobStatus.Running, _h.Store.Find("exec-fresh")!.Status);
        Assert.Equal(JobStatus.Scheduled, _h.Store.Find("exec-scheduled")!.Status);
        Assert.Contains("Marking job exec-123 as failed (runtime: 0:07:42)", _h.Logs.Messages);
        Assert.Contains("Cleaned up 2 stuck job(s)", _h.Logs.Messages);
    }

    [Fact]
    public async Task Runtime_uses_the_clock_it_is_given()
    {
        _h.Build(configure: o => (o.StaleJobs.ExecutionTimeout, o.StaleJobs.Buffer) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));
        Active("exec-1", JobStatus.Running, TimeSpan.FromMinutes(4));

        var early = await Reaper.ReapStuckJobsAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var late = await Reaper.ReapStuckJobsAsync();

        Assert.Empty(early.Reaped);
        var reaped = Assert.Single(late.Reaped);
        Assert.Equal(new TimeSpan(0, 6, 1), reaped.Runtime);
    }

    [Fact]
    public async Task Startup_fails_every_running_or_scheduled_job_whatever_its_age()
    {
        Active("scan_library_123abc", JobStatus.Running, TimeSpan.FromSeconds(30), "library_scan");
        Active("identify_456def", JobStatus.Scheduled, TimeSpan.FromDays(1) + TimeSpan.FromHours(2), "file_identification");
        Active("queued", JobStatus.Pending, TimeSpan.FromDays(3));

        var report = await Reaper.ReapAtStartupAsync();

        Assert.Equal(ReapMode.Startup, report.Mode);
        Assert.Equal(2, report.Reaped.Count);
        Assert.Equal(
            "Job reset during startup (was running for 0:00:30). This usually means the process was restarted while the job was in progress.",
            _h.Store.Find("scan_library_123abc")!.ErrorMessage);
        Assert.StartsWith("Job reset during startup (was scheduled for 1 day, 2:00:05)", _h.Store.Find("identify_456def")!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Pending, _h.Store.Find("queued")!.Status);
        Assert.Contains("Startup: Resetting 2 stale RUNNING/SCHEDULED job(s) to FAILED", _h.Logs.Messages);
        Assert.Contains("  - Clearing job: scan_library_123abc (library_scan)", _h.Logs.Messages);
        Assert.Contains("Startup: Cleanup completed for 2 job(s)", _h.Logs.Messages);
    }

    [Fact]
    public async Task Startup_with_nothing_stale_says_so()
    {
        var report = await Reaper.ReapAtStartupAsync();

        Assert.Equal(0, report.JobsFound);
        Assert.Contains("Startup: No stale jobs found", _h.Logs.Messages);
    }

    [Fact]
    public async Task A_job_that_completed_between_scan_and_update_is_left_alone()
    {
        var stuck = new JobRecord("exec-9", JobStatus.Running) { StartedAt = CleanupHarness.Now.AddDays(-2), CreatedAt = CleanupHarness.Now.AddDays(-2) };
        _h.Store.Upsert(stuck);
        var store = new Mock<IStaleJobStore>();
        store.Setup(s => s.GetStaleJobsAsync(It.IsAny<StaleJobQuery>(), It.IsAny<CancellationToken>()))
            .Returns(new[] { stuck }.ToAsyncEnumerable());

        // The job completes after the scan; the store's compare-and-set then refuses the update.
        store.Setup(s => s.TryFailJobAsync(It.IsAny<JobFailure>(), It.IsAny<CancellationToken>()))
            .Returns((JobFailure failure, CancellationToken ct) =>
            {
                _h.Store.Upsert(stuck with { Status = JobStatus.Succeeded, CompletedAt = CleanupHarness.Now });
                return _h.Store.TryFailJobAsync(failure, ct);
            });
        _h.Build(store: b => b.UseStore(_ => store.Object));

        var report = await Reaper.ReapStuckJobsAsync();

        Assert.Equal(1, report.JobsFound);
        Assert.Empty(report.Reaped);
        Assert.Equal(1, report.JobsChanged);
        Assert.Equal(JobStatus.Succeeded, _h.Store.Find("exec-9")!.Status);
        store.Verify(s => s.TryFailJobAsync(It.Is<JobFailure>(f => f.ExpectedStatus == JobStatus.Running && f.JobId == "exec-9"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_store_returning_jobs_outside_the_query_is_not_trusted()
    {
        var done = new JobRecord("done", JobStatus.Succeeded) { CreatedAt = CleanupHarness.Now.AddDays(-5) };
        var fresh = new JobRecord("fresh", JobStatus.Running) { StartedAt = CleanupHarness.Now.AddSeconds(-5), CreatedAt = CleanupHarness.Now.AddSeconds(-5) };
        var store = new Mock<IStaleJobStore>();
        store.Setup(s => s.GetStaleJobsAsync(It.IsAny<StaleJobQuery>(), It.IsAny<CancellationToken>()))
            .Returns(new[] { done, fresh }.ToAsyncEnumerable());
        _h.Build(store: b => b.UseStore(_ => store.Object));

        var report = await Reaper.ReapStuckJobsAsync();

        Assert.Equal(0, report.JobsFound);
        store.Verify(s => s.TryFailJobAsync(It.IsAny<JobFailure>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
