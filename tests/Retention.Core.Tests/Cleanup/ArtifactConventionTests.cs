using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Artifacts;
using Retention.Cleanup;
using Retention.Deletion;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

public sealed class ArtifactConventionTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Seed_prefix_convention_matches_only_this_jobs_uploads()
    {
        _h.SeedJob("job-1", JobStatus.Failed, TimeSpan.FromDays(2));
        _h.Tree.File("uploads/job-1_second.tif", 10);
        _h.Tree.File("uploads/job-10_dem.tif", 10);
        _h.Tree.File("uploads/job-1.tif", 10);
        _h.Store.Upsert(new JobRecord("job-10", JobStatus.Running) { CreatedAt = CleanupHarness.Now });

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.False(File.Exists(Path.Combine(_h.Uploads, "job-1_dem.tif")));
        Assert.False(File.Exists(Path.Combine(_h.Uploads, "job-1_second.tif")));
        Assert.True(File.Exists(Path.Combine(_h.Uploads, "job-10_dem.tif")));
        Assert.True(File.Exists(Path.Combine(_h.Uploads, "job-1.tif")));
        Assert.Equal(3, Assert.Single(report.Jobs).Artifacts.Count);
    }

    [Fact]
    public async Task Custom_convention_finds_logs_by_name()
    {
        _h.Tree.Dir("logs");
        _h.SeedJob("job-1", JobStatus.Failed, TimeSpan.FromDays(2));
        _h.Tree.File("logs/run/job-1.log", 33);
        _h.Build(configure: o =>
        {
            o.AddRoot("logs", Path.Combine(_h.Tree.Root, "logs"));
            o.Conventions.Add(new ArtifactConventionOptions { Root = "logs", Pattern = "run/{jobId}.log", Kind = "log" });
        });

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.False(File.Exists(_h.Tree.Path_("logs/run/job-1.log")));
        Assert.Contains(Assert.Single(report.Jobs).Artifacts, a => a.Kind == ArtifactKind.Log && a.Bytes == 33);
    }

    [Fact]
    public async Task A_job_id_that_is_a_path_is_not_substituted_into_conventions_and_is_refused_unmarked()
    {
        _h.Tree.File("results/x/y", 5);
        _h.Tree.File("uploads/x/z", 5);
        _h.Store.Upsert(new JobRecord("results/x", JobStatus.Failed) { CreatedAt = CleanupHarness.Now.AddDays(-30) });
        _h.Store.Upsert(new JobRecord("../uploads/x", JobStatus.Failed) { CreatedAt = CleanupHarness.Now.AddDays(-30) });
        _h.Store.Upsert(new JobRecord("..", JobStatus.Failed) { CreatedAt = CleanupHarness.Now.AddDays(-30) });

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.True(File.Exists(_h.Tree.Path_("results/x/y")));
        Assert.True(File.Exists(_h.Tree.Path_("uploads/x/z")));
        Assert.Equal(3, report.Jobs.Count);
        Assert.All(report.Jobs, j =>
        {
            // Its files cannot be named, so it cannot be known that none remain: refused with the reason, never marked.
            Assert.Equal(JobCleanupOutcome.Failed, j.Outcome);
            var refused = Assert.Single(j.Artifacts);
            Assert.Equal(DeletionOutcome.Refused, refused.Outcome);
            Assert.Contains("not a plain file name", refused.Reason, StringComparison.Ordinal);
            Assert.Null(_h.Store.FindTombstone(j.JobId));
        });
        Assert.Equal(0, report.Stats.JobsCleaned);
    }

    [LinuxFact]
    public async Task An_input_whose_name_is_not_utf_8_keeps_the_job_unmarked_with_the_reason()
    {
        _h.SeedJob("job-1", JobStatus.Failed, TimeSpan.FromDays(2));
        RawFiles.CreateFile(_h.Uploads, [.. "job-1_"u8, 0xff, .. ".tif"u8], 100);

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        var job = Assert.Single(report.Jobs);
        Assert.Equal(JobCleanupOutcome.Failed, job.Outcome);
        Assert.Contains(job.Artifacts, a => a.Outcome == DeletionOutcome.Refused && a.Reason!.Contains("not valid UTF-8", StringComparison.Ordinal));
        Assert.Null(_h.Store.FindTombstone("job-1"));
        Assert.True(RawFiles.Exists(_h.Uploads, [.. "job-1_"u8, 0xff, .. ".tif"u8]));
    }

    [Theory]
    [InlineData("uploads", "{jobId}*x", "may only end in '*'")]
    [InlineData("uploads", "{jobId}*", "needs a separator")]
    [InlineData("uploads", "files", "must contain {jobId} exactly once")]
    [InlineData("uploads", "../{jobId}", "may not contain '.' or '..'")]
    [InlineData("nope", "{jobId}", "'nope' is not a configured root")]
    public void Bad_conventions_fail_validation(string root, string pattern, string expected)
    {
        _h.Build(configure: o => o.Conventions.Add(new ArtifactConventionOptions { Root = root, Pattern = pattern, Kind = "input" }));

        var error = Assert.Throws<OptionsValidationException>(() => _h.Services.GetRequiredService<IOptions<JobCleanupOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("JobCleanup:Conventions:0:", StringComparison.Ordinal) && f.Contains(expected, StringComparison.Ordinal));
    }
}
