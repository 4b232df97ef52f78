using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Deletion;
using Retention.Diagnostics;
using Retention.Policies;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

public sealed class JobCleanerTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Run_cleans_due_jobs_by_the_seed_defaults_and_keeps_everything_else()
    {
        _h.SeedJob("job-old-ok", JobStatus.Succeeded, TimeSpan.FromDays(8.2));
        _h.SeedJob("job-new-ok", JobStatus.Succeeded, TimeSpan.FromDays(2));
        _h.SeedJob("job-old-failed", JobStatus.Failed, TimeSpan.FromHours(13), outputBytes: 500);
        _h.SeedJob("job-new-failed", JobStatus.Failed, TimeSpan.FromHours(3));
        _h.SeedJob("job-running", JobStatus.Running, TimeSpan.FromDays(30));
        var pinned = _h.SeedJob("job-pinned", JobStatus.Succeeded, TimeSpan.FromDays(30));
        _h.Store.Upsert(pinned with { Holds = [new JobHold("alice", "paper figures")] });

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        Assert.True(report.Succeeded);
        Assert.Equal(1, report.Stats.CleanedIn(JobStatus.Succeeded));
        Assert.Equal(1, report.Stats.CleanedIn(JobStatus.Failed));
        Assert.Equal(250 + 1000 + 24 + 250 + 500 + 24, report.Stats.BytesFreed);
        Assert.False(File.Exists(Path.Combine(_h.Uploads, "job-old-ok_dem.tif")));
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "job-old-ok")));
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "job-old-failed")));
        foreach (var kept in new[] { "job-new-ok", "job-new-failed", "job-running", "job-pinned" })
        {
            Assert.True(Directory.Exists(Path.Combine(_h.Results, kept)), kept);
            Assert.True(File.Exists(Path.Combine(_h.Uploads, kept + "_dem.tif")), kept);
            Assert.Null(_h.Store.Find(kept)!.DataCleanedAt);
        }

        Assert.Equal(CleanupHarness.Now, _h.Store.Find("job-old-ok")!.DataCleanedAt);
        var tombstone = _h.Store.FindTombstone("job-old-ok")!;
        Assert.Equal(250 + 1000 + 24, tombstone.BytesFreed);
        Assert.Equal("succeeded-data", tombstone.RuleName);
        Assert.Equal(6, _h.Store.Count); // metadata is kept: no record purged
    }

    [Fact]
    public async Task Run_reports_per_job_details_as_the_seed_response_needs()
    {
        _h.SeedJob("job-20240115-123456", JobStatus.Succeeded, TimeSpan.FromDays(8.2));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        var job = Assert.Single(report.Jobs);
        Assert.Equal("job-20240115-123456", job.JobId);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(8.2, job.AgeDays);
        Assert.Equal(JobCleanupOutcome.Cleaned, job.Outcome);
        Assert.Equal(1274, job.BytesFreed);
        Assert.Equal("succeeded 8.2 days ago; inputs and outputs kept 7 days", job.Reason);
        Assert.Equal(2, job.Artifacts.Count);
        Assert.Contains(job.Artifacts, a => a.Kind == ArtifactKind.Input && a.Bytes == 250);
        Assert.Contains(job.Artifacts, a => a.Kind == ArtifactKind.Output && a.Bytes == 1024);
        Assert.Equal(new ArtifactKindStats(1, 1024), report.Stats.ByKind[ArtifactKind.Output]);
    }

    [Fact]
    public async Task Dry_run_changes_nothing_on_disk_and_reports_exactly_what_the_real_run_frees()
    {
        _h.SeedJob("job-a", JobStatus.Succeeded, TimeSpan.FromDays(9), 300, 7000);
        _h.SeedJob("job-b", JobStatus.Failed, TimeSpan.FromDays(1), 100, 900);
        _h.SeedJob("job-c", JobStatus.Succeeded, TimeSpan.FromDays(1));
        var before = _h.Snapshot();

        var preview = await _h.Cleaner.RunAsync(CleanupRequest.Preview);

        Assert.Equal(before, _h.Snapshot());
        Assert.All(_h.Store.Jobs, j => Assert.Null(j.DataCleanedAt));
        Assert.True(preview.DryRun);
        Assert.Equal(2, preview.Stats.JobsCleaned);

        var real = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(preview.Stats.BytesFreed, real.Stats.BytesFreed);
        Assert.Equal(preview.Jobs.Select(j => (j.JobId, j.BytesFreed)), real.Jobs.Select(j => (j.JobId, j.BytesFreed)));
    }

    [Fact]
    public async Task Dry_run_option_forces_every_run_to_be_a_dry_run()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(9));
        _h.Build(configure: o => o.DryRun = true);
        var before = _h.Snapshot();

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.True(report.DryRun);
        Assert.Equal(before, _h.Snapshot());
    }

    [Fact]
    public async Task Run_when_an_artifact_is_refused_does_not_mark_the_job_cleaned_and_goes_on()
    {
        var outside = _h.Tree.File("elsewhere/precious.bin", 77);
        _h.SeedJob("job-bad", JobStatus.Failed, TimeSpan.FromDays(2));
        _h.Store.Upsert(_h.Store.Find("job-bad")! with { Artifacts = [new JobArtifact(ArtifactKind.Output, outside)] });
        _h.SeedJob("job-good", JobStatus.Failed, TimeSpan.FromDays(2));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.True(File.Exists(outside));
        Assert.Null(_h.Store.Find("job-bad")!.DataCleanedAt);
        Assert.NotNull(_h.Store.Find("job-good")!.DataCleanedAt);
        Assert.Equal(1, report.Stats.JobsFailed);
        Assert.Equal(1, report.Stats.ArtifactsRefused);
        Assert.False(report.Succeeded);
        var bad = report.Jobs.Single(j => j.JobId == "job-bad");
        Assert.Equal(JobCleanupOutcome.Failed, bad.Outcome);
        Assert.Contains(bad.Artifacts, a => a.Outcome == DeletionOutcome.Refused && a.Reason!.Contains("outside the configured roots", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_store_returning_an_active_or_pinned_job_touches_nothing()
    {
        // A host store whose filter is wrong: the engine does not trust it.
        var running = _h.SeedJob("job-running", JobStatus.Running, TimeSpan.FromDays(30));
        var pinned = _h.SeedJob("job-pinned", JobStatus.Failed, TimeSpan.FromDays(30)) with { Holds = [new JobHold("bob", "debugging")] };
        var store = new Moq.Mock<Retention.Stores.IJobStore>();
        store.Setup(s => s.GetCleanupCandidatesAsync(Moq.It.IsAny<Retention.Stores.CleanupCandidateQuery>(), Moq.It.IsAny<CancellationToken>()))
            .Returns(new[] { running with { CompletedAt = CleanupHarness.Now.AddDays(-30) }, pinned }.ToAsyncEnumerable());
        _h.Build(store: b => b.UseStore(_ => store.Object));
        var before = _h.Snapshot();

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(before, _h.Snapshot());
        Assert.Equal(2, report.Stats.JobsProtected);
        store.Verify(s => s.MarkDataCleanedAsync(Moq.It.IsAny<IReadOnlyList<Retention.Stores.JobDataCleaned>>(), Moq.It.IsAny<CancellationToken>()), Moq.Times.Never);
    }

    [Fact]
    public async Task Run_with_data_not_yet_due_deletes_what_is_due_and_does_not_mark_the_job()
    {
        _h.SeedJob("job-a", JobStatus.Succeeded, TimeSpan.FromDays(3));
        var policy = RetentionPolicy.CreateBuilder()
            .AddRule("inputs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Input).RetainFor(TimeSpan.FromDays(1)))
            .AddRule("outputs", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Output).RetainFor(TimeSpan.FromDays(30)))
            .Build();

        var first = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = policy });
        var second = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = policy });

        Assert.Equal(JobCleanupOutcome.PartlyCleaned, Assert.Single(first.Jobs).Outcome);
        Assert.False(File.Exists(Path.Combine(_h.Uploads, "job-a_dem.tif")));
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "job-a")));
        Assert.Null(_h.Store.Find("job-a")!.DataCleanedAt);
        Assert.Empty(second.Jobs); // nothing new to do: not listed again
        Assert.Equal(1, second.Stats.JobsSkipped);
    }

    [Fact]
    public async Task Run_with_a_purge_rule_deletes_the_record_after_its_data()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(3));
        _h.Build(configure: o => o.Policy = RetentionPolicy.CreateBuilder().AddRule("purge", r => r.ForStatus(JobStatus.Failed).RetainFor(TimeSpan.FromDays(1)).ThenPurgeRecord()).Build());

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Null(_h.Store.Find("job-a"));
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "job-a")));
        Assert.Equal(1, report.Stats.JobsPurged);
        Assert.True(Assert.Single(report.Jobs).RecordPurged);
    }

    [Fact]
    public async Task Run_resolves_relative_store_paths_against_the_base_path()
    {
        var job = _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(3));
        _h.Tree.File("results/extra/job-a.log", 40);
        _h.Store.Upsert(job with { Artifacts = [new JobArtifact(ArtifactKind.Log, "results/extra/job-a.log")] });

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.False(File.Exists(Path.Combine(_h.Results, "extra", "job-a.log")));
        Assert.Equal(3, Assert.Single(report.Jobs).Artifacts.Count);
    }

    [Fact]
    public async Task Run_a_second_run_while_one_is_in_progress_is_told_already_running()
    {
        var gate = new TaskCompletionSource();
        var store = new Moq.Mock<Retention.Stores.IJobStore>();
        store.Setup(s => s.GetCleanupCandidatesAsync(Moq.It.IsAny<Retention.Stores.CleanupCandidateQuery>(), Moq.It.IsAny<CancellationToken>()))
            .Returns(Blocked(gate.Task));
        _h.Build(store: b => b.UseStore(_ => store.Object));
        var cleaner = _h.Cleaner;

        var first = cleaner.RunAsync(CleanupRequest.Default);
        var second = await cleaner.RunAsync(CleanupRequest.Default);
        gate.SetResult();
        var firstReport = await first;

        Assert.Equal(CleanupOutcome.AlreadyRunning, second.Outcome);
        Assert.Contains("already in progress", second.Error, StringComparison.Ordinal);
        Assert.Equal(CleanupOutcome.Completed, firstReport.Outcome);
        store.Verify(s => s.GetCleanupCandidatesAsync(Moq.It.IsAny<Retention.Stores.CleanupCandidateQuery>(), Moq.It.IsAny<CancellationToken>()), Moq.Times.Once);

        static async IAsyncEnumerable<JobRecord> Blocked(Task gate)
        {
            await gate;
            yield break;
        }
    }

    [Fact]
    public async Task Run_transient_deletion_failure_is_retried_permanent_is_not()
    {
        _h.SeedJob("job-busy", JobStatus.Failed, TimeSpan.FromDays(3));
        _h.SeedJob("job-denied", JobStatus.Failed, TimeSpan.FromDays(3));
        var real = new SafeDeleter([_h.Uploads, _h.Results]);
        var deleter = new Moq.Mock<ISafeDeleter> { CallBase = true };
        var busyAttempts = 0;
        deleter.Setup(d => d.DeleteAsync(Moq.It.IsAny<string>(), Moq.It.IsAny<CancellationToken>()))
            .Returns((string path, CancellationToken ct) =>
            {
                if (path.EndsWith(Path.Combine("results", "job-busy"), StringComparison.Ordinal) && ++busyAttempts == 1)
                {
                    return ValueTask.FromResult(new DeletionResult(path, DeletionOutcome.Failed, 10, 1, "file busy", IsTransient: true));
                }

                if (path.EndsWith(Path.Combine("results", "job-denied"), StringComparison.Ordinal))
                {
                    return ValueTask.FromResult(new DeletionResult(path, DeletionOutcome.Failed, 0, 0, "permission denied", IsTransient: false));
                }

                return real.DeleteAsync(path, ct);
            });
        _h.Build(before: s => s.AddSingleton(deleter.Object));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(2, busyAttempts);
        Assert.NotNull(_h.Store.Find("job-busy")!.DataCleanedAt);
        Assert.Null(_h.Store.Find("job-denied")!.DataCleanedAt);
        deleter.Verify(d => d.DeleteAsync(Moq.It.Is<string>(p => p.EndsWith(Path.Combine("results", "job-denied"), StringComparison.Ordinal)), Moq.It.IsAny<CancellationToken>()), Moq.Times.Once);
        var busy = report.Jobs.Single(j => j.JobId == "job-busy");
        Assert.Equal(250 + 1024 + 10, busy.BytesFreed); // bytes freed by the failed attempt are counted once
    }

    [Fact]
    public async Task Run_transient_store_failure_is_retried()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(3));
        var store = new Moq.Mock<Retention.Stores.IJobStore>();
        store.Setup(s => s.GetCleanupCandidatesAsync(Moq.It.IsAny<Retention.Stores.CleanupCandidateQuery>(), Moq.It.IsAny<CancellationToken>()))
            .Returns(_h.Store.Jobs.ToAsyncEnumerable());
        store.SetupSequence(s => s.MarkDataCleanedAsync(Moq.It.IsAny<IReadOnlyList<Retention.Stores.JobDataCleaned>>(), Moq.It.IsAny<CancellationToken>()))
            .Throws(new TransientRetentionException("database is locked"))
            .Returns(ValueTask.CompletedTask);
        _h.Build(store: b => b.UseStore(_ => store.Object));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        store.Verify(s => s.MarkDataCleanedAsync(Moq.It.IsAny<IReadOnlyList<Retention.Stores.JobDataCleaned>>(), Moq.It.IsAny<CancellationToken>()), Moq.Times.Exactly(2));
    }

    [Fact]
    public async Task Run_marks_cleaned_only_after_every_artifact_is_gone()
    {
        foreach (var i in Enumerable.Range(0, 5))
        {
            _h.SeedJob($"job-{i}", JobStatus.Failed, TimeSpan.FromDays(3));
        }

        var store = new Moq.Mock<Retention.Stores.IJobStore>();
        store.Setup(s => s.GetCleanupCandidatesAsync(Moq.It.IsAny<Retention.Stores.CleanupCandidateQuery>(), Moq.It.IsAny<CancellationToken>()))
            .Returns(_h.Store.Jobs.ToAsyncEnumerable());
        var marked = new List<string>();
        store.Setup(s => s.MarkDataCleanedAsync(Moq.It.IsAny<IReadOnlyList<Retention.Stores.JobDataCleaned>>(), Moq.It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<Retention.Stores.JobDataCleaned> jobs, CancellationToken _) =>
            {
                foreach (var job in jobs)
                {
                    // At the moment the store is told, the data must already be gone.
                    Assert.False(File.Exists(Path.Combine(_h.Uploads, job.JobId + "_dem.tif")));
                    Assert.False(Directory.Exists(Path.Combine(_h.Results, job.JobId)));
                    Assert.Equal(JobStatus.Failed, job.ExpectedStatus);
                    marked.Add(job.JobId);
                }

                return ValueTask.CompletedTask;
            });
        _h.Build(store: b => b.UseStore(_ => store.Object), configure: o => o.BatchSize = 2);

        await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(5, marked.Count);
        store.Verify(s => s.MarkDataCleanedAsync(Moq.It.IsAny<IReadOnlyList<Retention.Stores.JobDataCleaned>>(), Moq.It.IsAny<CancellationToken>()), Moq.Times.Exactly(3));
    }

    [Fact]
    public async Task Cancellation_mid_run_stops_between_jobs_and_leaves_consistent_state()
    {
        for (var i = 0; i < 20; i++)
        {
            _h.SeedJob($"job-{i:00}", JobStatus.Failed, TimeSpan.FromDays(3));
        }

        using var cancel = new CancellationTokenSource();
        var real = new SafeDeleter([_h.Uploads, _h.Results]);
        var deletions = 0;
        var deleter = new Moq.Mock<ISafeDeleter> { CallBase = true };
        deleter.Setup(d => d.DeleteAsync(Moq.It.IsAny<string>(), Moq.It.IsAny<CancellationToken>()))
            .Returns((string path, CancellationToken ct) =>
            {
                if (Interlocked.Increment(ref deletions) == 7)
                {
                    cancel.Cancel(); // mid-job: this job's other artifact must still go
                }

                return real.DeleteAsync(path, ct);
            });
        _h.Build(before: s => s.AddSingleton(deleter.Object), configure: o => (o.BatchSize, o.MaxParallelDeletions) = (4, 2));

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default, cancellationToken: cancel.Token);

        Assert.Equal(CleanupOutcome.Cancelled, report.Outcome);
        Assert.InRange(report.Stats.JobsCleaned, 4, 19);
        foreach (var job in _h.Store.Jobs)
        {
            var inputGone = !File.Exists(Path.Combine(_h.Uploads, job.Id + "_dem.tif"));
            var outputGone = !Directory.Exists(Path.Combine(_h.Results, job.Id));
            Assert.Equal(inputGone, outputGone); // no job half-deleted
            Assert.Equal(inputGone, job.DataCleanedAt is not null); // deleted exactly when recorded
        }

        Assert.Equal(report.Stats.JobsCleaned, _h.Store.Jobs.Count(j => j.DataCleanedAt is not null));
    }

    [Fact]
    public async Task Run_logs_read_like_the_seeds_verbose_output()
    {
        _h.SeedJob("job-20240115-123456", JobStatus.Succeeded, TimeSpan.FromDays(8.2));

        await _h.Cleaner.RunAsync(CleanupRequest.Preview);
        await _h.Cleaner.RunAsync(CleanupRequest.Default);

        var messages = _h.Logs.Messages.ToList();
        Assert.Contains(messages, m => m.StartsWith("[DRY RUN] Would clean job job-20240115-123456 (status: succeeded, age: 8.2 days)", StringComparison.Ordinal));
        Assert.Contains($"[DRY RUN] Would delete: {Path.Combine(_h.Results, "job-20240115-123456")} (1.0 KB)", messages);
        Assert.Contains("[DRY RUN] Summary: Would clean 1 job(s), freeing ~1.2 KB", messages);
        Assert.Contains(messages, m => m.StartsWith("Cleaning job job-20240115-123456 (succeeded, 8.2 days old)", StringComparison.Ordinal));
        Assert.Contains($"Deleted {Path.Combine(_h.Uploads, "job-20240115-123456_dem.tif")} (250 B)", messages);
        Assert.Contains("Updated store: marked 1 job(s) as cleaned", messages);
        Assert.Contains("Cleaned 1 succeeded job(s) (freed 1.2 KB)", messages);
    }

    [Fact]
    public async Task Run_publishes_metrics_on_the_retention_meter()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(3));
        _h.Build(before: s => s.AddMetrics());
        var cleaner = _h.Cleaner;
        var meter = _h.Services.GetRequiredService<RetentionMetrics>().Meter;
        var measurements = new List<(string Name, long Value, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Add((instrument.Name, value, tags.Length > 0 ? tags[0].Value?.ToString() : null)));
        listener.Start();

        await cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal("Retention", meter.Name);
        Assert.Contains((RetentionTelemetry.JobsCleaned, 1L, "failed"), measurements);
        Assert.Contains((RetentionTelemetry.BytesFreed, 1024L, "output"), measurements);
        Assert.Contains((RetentionTelemetry.BytesFreed, 250L, "input"), measurements);
        Assert.Contains(measurements, m => m.Name == RetentionTelemetry.Runs && m.Tag == "completed");
    }
}
