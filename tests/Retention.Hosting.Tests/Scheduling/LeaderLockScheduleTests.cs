using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moq;
using Retention.Cleanup;
using Retention.Coordination;
using Retention.Deletion;
using Retention.Hosting.Scheduling;
using Retention.Hosting.Tests.Support;
using Retention.Scheduling;

namespace Retention.Hosting.Tests.Scheduling;

/// <summary>With a leader lock registered, each occurrence runs on the instance that gets the lock; the others skip it and stay healthy.</summary>
public sealed class LeaderLockScheduleTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task An_instance_without_the_lock_skips_the_occurrence_and_is_not_reported_overdue()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var leaderLock = new Mock<ICleanupLeaderLock>();
        leaderLock.Setup(l => l.TryAcquireAsync(ScheduledCleanupService.LeaderLockName, It.IsAny<CancellationToken>())).ReturnsAsync((ICleanupLease?)null);
        var host = _h.Build(o => { o.Enabled = true; o.Schedule = "02:00"; }, services: s => s.AddSingleton(leaderLock.Object).AddHealthChecks().AddJobCleanupCheck());
        await host.StartAsync();

        for (var day = 0; day < 4; day++)
        {
            var due = HostHarness.Start.AddHours(1).AddDays(day);
            await _h.Time.WaitForTimerAtAsync(due);
            _h.Time.AdvanceTo(due);
            await _h.Logs.WaitForAsync($"Another instance holds the leader lock 'retention:scheduled-cleanup'; it runs the cleanup due at {due:u} (schedule), this one skips it");
            _h.Logs.Entries.Clear();
            Assert.Equal(new SkippedOccurrence(due, OccurrenceSkipReason.LockHeldElsewhere, due), _h.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().LastSkippedOccurrence);
        }

        Assert.False(_h.Runs.HasReport);
        Assert.True(File.Exists(Path.Combine(_h.Results, "old", "out.tif")));
        leaderLock.Verify(l => l.TryAcquireAsync(ScheduledCleanupService.LeaderLockName, It.IsAny<CancellationToken>()), Times.Exactly(4));
        var health = (await _h.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["job-cleanup"];
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task The_holder_runs_with_the_lease_and_releases_it_after_the_run()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        using var lost = new CancellationTokenSource();
        var lease = new Mock<ICleanupLease>();
        lease.SetupGet(l => l.Name).Returns(ScheduledCleanupService.LeaderLockName);
        lease.SetupGet(l => l.Lost).Returns(lost.Token);
        var leaderLock = new Mock<ICleanupLeaderLock>();
        leaderLock.Setup(l => l.TryAcquireAsync(ScheduledCleanupService.LeaderLockName, It.IsAny<CancellationToken>())).ReturnsAsync(lease.Object);
        var host = _h.Build(o => { o.Enabled = true; o.Schedule = "02:00"; }, services: s => s.AddSingleton(leaderLock.Object));
        await host.StartAsync();

        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        _h.Time.Advance(TimeSpan.FromHours(1));
        var report = await _h.Runs.NextAsync();

        Assert.Equal((CleanupTriggers.Schedule, CleanupOutcome.Completed, 1L), (report.Trigger, report.Outcome, report.Stats.JobsCleaned));
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(25));
        lease.Verify(l => l.DisposeAsync(), Times.Once);
    }

    [Fact]
    public async Task The_lock_taken_after_another_instance_ran_the_occurrence_does_not_run_it_again()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var lease = new Mock<ICleanupLease>();
        lease.SetupGet(l => l.Name).Returns(ScheduledCleanupService.LeaderLockName);
        var leaderLock = new Mock<ICleanupLeaderLock>();
        leaderLock.Setup(l => l.TryAcquireAsync(ScheduledCleanupService.LeaderLockName, It.IsAny<CancellationToken>())).ReturnsAsync(lease.Object);
        var host = _h.Build(o => { o.Enabled = true; o.Schedule = "02:00"; }, services: s => s.AddSingleton(leaderLock.Object));
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));

        // Another replica, whose jitter was shorter, ran the 02:00 occurrence and released the lock before this one woke.
        await _h.Store.RecordRunAsync(new CleanupReport
        {
            RunId = "cleanup-elsewhere",
            Trigger = CleanupTriggers.Schedule,
            StartedAt = HostHarness.Start.AddHours(1),
            FinishedAt = HostHarness.Start.AddHours(1).AddSeconds(3),
            Outcome = CleanupOutcome.Completed,
            Stats = new CleanupStats(),
        });
        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Logs.WaitForAsync("The scheduled cleanup due at 2024-03-09 02:00:00Z already ran on another instance");

        Assert.False(_h.Runs.HasReport);
        Assert.True(File.Exists(Path.Combine(_h.Results, "old", "out.tif")));
        lease.Verify(l => l.DisposeAsync(), Times.Once);
        var skipped = _h.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().LastSkippedOccurrence;
        Assert.Equal((HostHarness.Start.AddHours(1), OccurrenceSkipReason.RanElsewhere), (skipped!.Occurrence, skipped.Reason));
    }

    [Fact]
    public async Task A_run_whose_lease_is_lost_stops_before_its_next_job_and_says_why()
    {
        for (var i = 0; i < 30; i++)
        {
            _h.SeedJob($"old-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(8));
        }

        // The lease is lost while the fifth job's data is being deleted: that job finishes (never left half deleted) and
        // no other starts. Losing it at a deletion, not at a progress report, keeps the test independent of how far
        // the engine's read-ahead and recorder have got.
        using var lost = new CancellationTokenSource();
        var lease = new Mock<ICleanupLease>();
        lease.SetupGet(l => l.Name).Returns("retention:scheduled-cleanup");
        lease.SetupGet(l => l.Lost).Returns(lost.Token);
        var host = _h.Build(
            more: b => b.Configure(o => { o.BatchSize = 10; o.MaxParallelDeletions = 1; }),
            services: s =>
            {
                var deleter = s.Last(d => d.ServiceType == typeof(ISafeDeleter)).ImplementationFactory!;
                s.AddSingleton<ISafeDeleter>(sp => new LosingDeleter((ISafeDeleter)deleter(sp), "old-04", lost));
            });
        await host.StartAsync();

        var report = await host.Services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default with { Lease = lease.Object });

        Assert.Equal(CleanupOutcome.Cancelled, report.Outcome);
        Assert.Equal("Lost the leader lock 'retention:scheduled-cleanup'.", report.Error);
        Assert.Equal(5, report.Stats.JobsCleaned);
        Assert.Equal(25, Directory.EnumerateDirectories(_h.Results).Count());
    }

    /// <summary>Loses the lease when a path of the given job is deleted, then deletes it.</summary>
    private sealed class LosingDeleter(ISafeDeleter inner, string jobId, CancellationTokenSource lost) : ISafeDeleter
    {
        public IReadOnlyList<string> Roots => inner.Roots;

        public ValueTask<DeletionResult> DeleteAsync(string path, CancellationToken cancellationToken = default)
        {
            if (path.Contains(jobId, StringComparison.Ordinal))
            {
                lost.Cancel();
            }

            return inner.DeleteAsync(path, cancellationToken);
        }

        public ValueTask<DeletionResult> MeasureAsync(string path, CancellationToken cancellationToken = default) => inner.MeasureAsync(path, cancellationToken);
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private sealed class Progress(Action<CleanupProgress> report) : IProgress<CleanupProgress>
    {
        public void Report(CleanupProgress value) => report(value);
    }
}
