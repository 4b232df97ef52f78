using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Stores;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

/// <summary>The engine's status: one run at a time through a single gate, and a status that never says "running" after a run ended.</summary>
public sealed class CleanupStatusTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    private ICleanupStatus Status => _h.Services.GetRequiredService<ICleanupStatus>();

    [Fact]
    public async Task Start_claims_the_run_at_once_and_a_second_start_or_run_sees_it()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var gate = new TaskCompletionSource();
        var store = new Moq.Mock<IJobStore>();
        store.Setup(s => s.GetCleanupCandidatesAsync(Moq.It.IsAny<CleanupCandidateQuery>(), Moq.It.IsAny<CancellationToken>()))
            .Returns((CleanupCandidateQuery q, CancellationToken ct) => HeldUntil(gate.Task, _h.Store.GetCleanupCandidatesAsync(q, ct)));
        store.Setup(s => s.MarkDataCleanedAsync(Moq.It.IsAny<IReadOnlyList<JobDataCleaned>>(), Moq.It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<JobDataCleaned> jobs, CancellationToken ct) => _h.Store.MarkDataCleanedAsync(jobs, ct));
        _h.Build(b => b.UseStore(_ => store.Object));
        var cleaner = _h.Cleaner;

        var first = cleaner.Start(new CleanupRequest { Trigger = CleanupTriggers.OnDemand, RequestedBy = "admin" });
        var snapshot = Status.GetSnapshot();
        var second = cleaner.Start(CleanupRequest.Preview);
        var third = await cleaner.RunAsync(CleanupRequest.Default);

        Assert.True(first.Started);
        Assert.Equal("admin", snapshot.CurrentRun!.RequestedBy);
        Assert.False(second.Started);
        Assert.Equal(snapshot.CurrentRun.RunId, second.Running!.RunId);
        Assert.Equal(CleanupOutcome.AlreadyRunning, third.Outcome);
        Assert.Contains(snapshot.CurrentRun.RunId, third.Error, StringComparison.Ordinal);

        gate.SetResult();
        var report = await first.Completion!;
        Assert.Equal(1, report.Stats.JobsCleaned);
        Assert.Equal(snapshot.CurrentRun.RunId, report.RunId);
        Assert.False(Status.GetSnapshot().IsRunning);
    }

    [Fact]
    public async Task A_progress_callback_that_throws_is_logged_and_the_run_still_ends_and_frees_the_gate()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default, new Progress(_ => throw new InvalidOperationException("dashboard is gone")));

        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        Assert.Equal(1, report.Stats.JobsCleaned);
        Assert.False(Status.GetSnapshot().IsRunning);
        Assert.Contains(_h.Logs.Messages, m => m == "A progress callback failed: dashboard is gone; the run goes on");
        Assert.Equal(CleanupOutcome.Completed, (await _h.Cleaner.RunAsync(CleanupRequest.Preview)).Outcome);
    }

    [Fact]
    public void A_cancelled_run_keeps_the_last_error_and_the_failure_count()
    {
        var tracker = new CleanupStatusTracker(() => []);
        Finish(tracker, "run-1", CleanupOutcome.Failed, "database is locked");
        Finish(tracker, "run-2", CleanupOutcome.Cancelled, null);

        var status = tracker.GetSnapshot();
        Assert.Equal("database is locked", status.LastError);
        Assert.Equal(CleanupHarness.Now, status.LastErrorAt);
        Assert.Equal(1, status.ConsecutiveFailures);
        Assert.Equal("run-2", status.LastReport!.RunId);

        Finish(tracker, "run-3", CleanupOutcome.Completed, null);
        Assert.Equal(0, tracker.GetSnapshot().ConsecutiveFailures);
        Assert.Equal("database is locked", tracker.GetSnapshot().LastError); // the last error stays on record after a good run
    }

    private static void Finish(CleanupStatusTracker tracker, string runId, CleanupOutcome outcome, string? error)
    {
        Assert.True(tracker.TryBegin(new CleanupRunProgress(runId, "manual", null, CleanupHarness.Now, default, null), out _));
        tracker.Finished(runId, new CleanupReport
        {
            RunId = runId,
            Trigger = "manual",
            StartedAt = CleanupHarness.Now,
            FinishedAt = CleanupHarness.Now,
            Outcome = outcome,
            Error = error,
            Stats = new CleanupStats(),
        });
    }

    private static async IAsyncEnumerable<JobRecord> HeldUntil(Task gate, IAsyncEnumerable<JobRecord> jobs)
    {
        await gate;
        await foreach (var job in jobs)
        {
            yield return job;
        }
    }

    private sealed class Progress(Action<CleanupProgress> report) : IProgress<CleanupProgress>
    {
        public void Report(CleanupProgress value) => report(value);
    }
}
