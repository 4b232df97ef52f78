using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

public sealed class ArtifactConventionTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task SeedPrefixConvention_MatchesOnlyThisJobsUploads()
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
    public async Task CustomConvention_FindsLogsByName()
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
    public async Task AJobIdThatIsAPath_IsNotSubstitutedIntoConventions()
    {
        _h.Tree.File("results/x/y", 5);
        _h.Tree.File("uploads/x/z", 5);
        _h.Store.Upsert(new JobRecord("results/x", JobStatus.Failed) { CreatedAt = CleanupHarness.Now.AddDays(-30) });
        _h.Store.Upsert(new JobRecord("../uploads/x", JobStatus.Failed) { CreatedAt = CleanupHarness.Now.AddDays(-30) });

        var report = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.True(File.Exists(_h.Tree.Path_("results/x/y")));
        Assert.True(File.Exists(_h.Tree.Path_("uploads/x/z")));
        Assert.All(report.Jobs, j => Assert.Empty(j.Artifacts));
    }

    [Theory]
    [InlineData("uploads", "{jobId}*x", "may only end in '*'")]
    [InlineData("uploads", "{jobId}*", "needs a separator")]
    [InlineData("uploads", "files", "must contain {jobId} exactly once")]
    [InlineData("uploads", "../{jobId}", "may not contain '.' or '..'")]
    [InlineData("nope", "{jobId}", "'nope' is not a configured root")]
    public void BadConventions_FailValidation(string root, string pattern, string expected)
    {
        _h.Build(configure: o => o.Conventions.Add(new ArtifactConventionOptions { Root = root, Pattern = pattern, Kind = "input" }));

        var error = Assert.Throws<OptionsValidationException>(() => _h.Services.GetRequiredService<IOptions<JobCleanupOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("JobCleanup:Conventions:0:", StringComparison.Ordinal) && f.Contains(expected, StringComparison.Ordinal));
    }
}
