using Microsoft.Extensions.DependencyInjection;
using Moq;
using Retention.Cleanup;
using Retention.Deletion;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

/// <summary>The run's jobs as they are recorded (what a tool prints as it goes), and candidates that are not due yet.</summary>
public sealed class JobStreamingTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Every_job_acted_on_is_streamed_in_order_even_when_the_report_keeps_none()
    {
        for (var i = 0; i < 25; i++)
        {
            _h.SeedJob($"job-{i:00}", i % 5 == 0 ? JobStatus.Failed : JobStatus.Succeeded, TimeSpan.FromDays(8 + i));
        }

        _h.SeedJob("job-young", JobStatus.Succeeded, TimeSpan.FromDays(1));
        _h.Build(configure: o => (o.BatchSize, o.MaxReportedJobs, o.MaxParallelDeletions) = (4, 0, 3));
        var streamed = new List<JobCleanupDetail>();

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default with { JobFinished = new Collect(streamed) });

        Assert.Empty(report.Jobs);
        Assert.Equal(25, report.JobsOmitted);
        Assert.Equal(Enumerable.Range(0, 25).Reverse().Select(i => $"job-{i:00}"), streamed.Select(j => j.JobId)); // the store streams the oldest first
        Assert.All(streamed, j => Assert.Equal(JobCleanupOutcome.Cleaned, j.Outcome));
        Assert.Equal(report.Stats.BytesFreed, streamed.Sum(j => j.BytesFreed));
        Assert.Equal(26, report.Stats.JobsScanned);
    }

    [Fact]
    public async Task A_callback_that_throws_is_logged_and_the_run_goes_on()
    {
        _h.SeedJob("job-a", JobStatus.Succeeded, TimeSpan.FromDays(8));
        _h.SeedJob("job-b", JobStatus.Succeeded, TimeSpan.FromDays(9));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default with { JobFinished = new Throwing() });

        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        Assert.Equal(2, report.Stats.JobsCleaned);
        Assert.NotNull(_h.Store.Find("job-b")!.DataCleanedAt);
    }

    [Fact]
    public async Task A_candidate_no_rule_has_run_out_for_is_skipped_without_touching_the_disk()
    {
        // Streamed (failed jobs' 12 hours make every finished job past 12 hours a candidate), but a success 2 days old is not due.
        _h.SeedJob("job-young", JobStatus.Succeeded, TimeSpan.FromDays(2));
        var deleter = new Mock<ISafeDeleter>(MockBehavior.Strict);
        _h.Build(before: s => s.AddSingleton(deleter.Object));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(1, report.Stats.JobsScanned);
        Assert.Equal(1, report.Stats.JobsSkipped);
        Assert.Empty(report.Jobs);
        deleter.VerifyNoOtherCalls();
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "job-young")));
    }

    private sealed class Collect(List<JobCleanupDetail> into) : IProgress<JobCleanupDetail>
    {
        public void Report(JobCleanupDetail value) => into.Add(value);
    }

    private sealed class Throwing : IProgress<JobCleanupDetail>
    {
        public void Report(JobCleanupDetail value) => throw new InvalidOperationException("printer broke");
    }
}
