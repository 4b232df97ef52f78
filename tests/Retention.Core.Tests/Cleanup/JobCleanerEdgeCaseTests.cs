using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using Retention.Cleanup;
using Retention.Deletion;
using Retention.Policies;
using Retention.Stores;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

/// <summary>The cases an independent review found: each was a way to delete too much, too little, or to stop cleaning for good.</summary>
public sealed class JobCleanerEdgeCaseTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Prefix_convention_does_not_claim_the_files_of_a_job_whose_id_is_longer()
    {
        _h.SeedJob("a", JobStatus.Failed, TimeSpan.FromDays(3));
        _h.SeedJob("a_1", JobStatus.Running, TimeSpan.FromDays(3));
        _h.Tree.File("uploads/a_my_input.tif", 40); // no job "a_my": this one is job a's

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.True(File.Exists(Path.Combine(_h.Uploads, "a_1_dem.tif")));
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "a_1")));
        Assert.False(File.Exists(Path.Combine(_h.Uploads, "a_dem.tif")));
        Assert.False(File.Exists(Path.Combine(_h.Uploads, "a_my_input.tif")));
        Assert.NotNull(_h.Store.Find("a")!.DataCleanedAt);
        Assert.Equal(3, Assert.Single(report.Jobs).Artifacts.Count);
    }

    [Fact]
    public async Task Ambiguous_names_are_left_alone_when_the_store_cannot_be_asked()
    {
        _h.SeedJob("a", JobStatus.Failed, TimeSpan.FromDays(3));
        _h.Tree.File("uploads/a_1_dem.tif", 40);
        var store = new Mock<IJobStore>();
        store.Setup(s => s.GetCleanupCandidatesAsync(It.IsAny<CleanupCandidateQuery>(), It.IsAny<CancellationToken>())).Returns(_h.Store.Jobs.ToAsyncEnumerable());
        _h.Build(store: b => b.UseStore(_ => store.Object));

        await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.True(File.Exists(Path.Combine(_h.Uploads, "a_1_dem.tif")));
        Assert.False(File.Exists(Path.Combine(_h.Uploads, "a_dem.tif")));
    }

    [Fact]
    public async Task One_bad_job_fails_alone_and_the_others_are_still_recorded()
    {
        for (var i = 0; i < 6; i++)
        {
            _h.SeedJob($"job-{i}", JobStatus.Failed, TimeSpan.FromDays(3));
        }

        _h.Store.Upsert(_h.Store.Find("job-3")! with { Artifacts = [new JobArtifact(ArtifactKind.Log, "/tmp/bad\0path")] });
        var real = new SafeDeleter([_h.Uploads, _h.Results]);
        var deleter = new Mock<ISafeDeleter> { CallBase = true };
        deleter.Setup(d => d.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string path, CancellationToken ct) => path.EndsWith("job-5", StringComparison.Ordinal) ? throw new InvalidOperationException("host deleter broke") : real.DeleteAsync(path, ct));
        _h.Build(before: s => s.AddSingleton(deleter.Object), configure: o => o.BatchSize = 3);

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        Assert.Equal(2, report.Stats.JobsFailed);
        Assert.Equal(4, report.Stats.JobsCleaned);
        Assert.All(new[] { "job-0", "job-1", "job-2", "job-4" }, id => Assert.NotNull(_h.Store.Find(id)!.DataCleanedAt));
        Assert.Null(_h.Store.Find("job-3")!.DataCleanedAt);
        Assert.Null(_h.Store.Find("job-5")!.DataCleanedAt);
        Assert.Contains(report.Jobs.Single(j => j.JobId == "job-3").Artifacts, a => a.Reason!.Contains("NUL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_very_long_retention_means_far_future_not_an_overflow()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(3));
        var policy = RetentionPolicy.CreateBuilder().AddRule("ages", r => r.ForStatus(JobStatus.Failed).RetainFor(TimeSpan.MaxValue)).Build();

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default with { Policy = policy });

        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "job-a")));
        Assert.False(RetentionPeriod.TryParse("99999999999d", out _, out var error));
        Assert.Contains("too long a retention", error, StringComparison.Ordinal);
        Assert.False(RetentionPeriod.TryParse("1e400d", out _, out _));
    }

    [Fact]
    public async Task A_store_artifact_inside_a_convention_directory_is_counted_once_in_preview_and_run()
    {
        var job = _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(3));
        _h.Store.Upsert(job with { Artifacts = [new JobArtifact(ArtifactKind.Output, Path.Combine(_h.Results, "job-a", "out.tif"))] });

        var preview = await _h.Cleaner.RunAsync(CleanupRequest.Preview);
        var real = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(250 + 1000 + 24, real.Stats.BytesFreed);
        Assert.Equal(real.Stats.BytesFreed, preview.Stats.BytesFreed);
    }

    [Fact]
    public async Task A_due_directory_holding_a_kept_artifact_is_not_deleted()
    {
        var job = _h.SeedJob("job-a", JobStatus.Succeeded, TimeSpan.FromDays(30));
        var log = Path.Combine(_h.Results, "job-a", "logs", "run.txt");
        _h.Store.Upsert(job with { Artifacts = [new JobArtifact(ArtifactKind.Log, log)] }); // no default rule covers logs: kept

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.True(File.Exists(log));
        Assert.Null(_h.Store.Find("job-a")!.DataCleanedAt);
        var refused = Assert.Single(report.Jobs).Artifacts.Single(a => a.Outcome == DeletionOutcome.Refused);
        Assert.Contains("which is kept", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transient_failure_while_measuring_is_not_counted_twice()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(3));
        var real = new SafeDeleter([_h.Uploads, _h.Results]);
        var first = true;
        var deleter = new Mock<ISafeDeleter> { CallBase = true };
        deleter.Setup(d => d.MeasureAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string path, CancellationToken ct) =>
            {
                if (first && path.EndsWith("job-a", StringComparison.Ordinal))
                {
                    first = false;
                    return ValueTask.FromResult(new DeletionResult(path, DeletionOutcome.Failed, 500, 1, "busy", IsTransient: true));
                }

                return real.MeasureAsync(path, ct);
            });
        deleter.Setup(d => d.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns((string path, CancellationToken ct) => real.DeleteAsync(path, ct));
        _h.Build(before: s => s.AddSingleton(deleter.Object));

        var preview = await _h.Cleaner.RunAsync(CleanupRequest.Preview);
        var run = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(run.Stats.BytesFreed, preview.Stats.BytesFreed);
    }

    [Fact]
    public void Nested_roots_are_a_configuration_error()
    {
        var inner = _h.Tree.Dir("results/inner");

        var error = Assert.Throws<RetentionConfigurationException>(() => new SafeDeleter([_h.Results, inner]));
        _h.Build(configure: o => o.AddRoot("inner", inner));
        var options = Assert.Throws<OptionsValidationException>(() => _h.Services.GetRequiredService<IOptions<JobCleanupOptions>>().Value);

        Assert.Contains("nested roots", error.Message, StringComparison.Ordinal);
        Assert.Contains(options.Failures, f => f.StartsWith("JobCleanup:Roots:inner:", StringComparison.Ordinal) && f.Contains("is inside root 'results'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_later_store_takes_over_every_capability_leaving_none_to_the_earlier_one()
    {
        var cleanupOnly = new Mock<IJobStore>().Object;
        var services = new ServiceCollection();
        services.AddJobCleanup(o => o.AddRoot("results", _h.Results)).UseInMemoryStore().UseStore(_ => cleanupOnly);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IJobPurgeStore) || d.ServiceType == typeof(IStaleJobStore) || d.ServiceType == typeof(IJobLookupStore));
        Assert.Single(services, d => d.ServiceType == typeof(IJobStore));
    }

    [Fact]
    public async Task Purge_leaves_a_job_whose_status_changed_since_planning()
    {
        _h.Store.Upsert(new JobRecord("requeued", JobStatus.Pending) { CreatedAt = CleanupHarness.Now });
        _h.Store.Upsert(new JobRecord("done", JobStatus.Failed) { CreatedAt = CleanupHarness.Now });

        await _h.Store.PurgeJobsAsync([
            new JobDataCleaned("requeued", JobStatus.Failed, CleanupHarness.Now, 0, 0, "purge"),
            new JobDataCleaned("done", JobStatus.Failed, CleanupHarness.Now, 0, 0, "purge"),
        ]);

        Assert.NotNull(_h.Store.Find("requeued"));
        Assert.Null(_h.Store.Find("done"));
    }
}
