using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>
/// The path the docs lead with: a host's own context registered with <c>AddDbContext</c>, its own job entity, and
/// <c>UseEntityFrameworkCoreStore</c>; a real run over real files cleans the due jobs' files and records them and itself.
/// </summary>
public sealed class CleanupRunTests
{
    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task A_real_run_over_the_hosts_own_entity_deletes_the_due_jobs_files_and_marks_them(Provider provider)
    {
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        var jobs = new[]
        {
            JobLayout.Job(tree, "old-done", JobStatus.Succeeded, TimeSpan.FromDays(40), now, 100, 200),
            JobLayout.Job(tree, "old-error", JobStatus.Failed, TimeSpan.FromDays(40), now, 100, 300),
            JobLayout.Job(tree, "young-done", JobStatus.Succeeded, TimeSpan.FromHours(1), now, 100, 200),
            JobLayout.Job(tree, "running", JobStatus.Running, TimeSpan.FromDays(40), now, 100, 200),
        };
        await using var db = new TestDatabase<WordJob>(provider);
        await db.CreateAsync((services, configure) =>
        {
            services.AddDbContext<JobsContext<WordJob>>(configure);
            services.AddJobCleanup(o => o.AddRoot("uploads", tree.Dir("uploads")).AddRoot("results", tree.Dir("results")))
                .UseEntityFrameworkCoreStore<JobsContext<WordJob>, WordJob>(WordJob.Map);
        });
        await db.AddAsync(jobs);

        var report = await db.Services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.Equal((CleanupOutcome.Completed, 2L, 0L, 700L), (report.Outcome, report.Stats.JobsCleaned, report.Stats.JobsFailed, report.Stats.BytesFreed));
        Assert.False(Directory.Exists(tree.Path_("results/old-done")));
        Assert.False(File.Exists(tree.Path_("uploads/old-error_dem.tif")));
        Assert.True(File.Exists(tree.Path_("results/young-done/out.tif")));
        Assert.True(File.Exists(tree.Path_("uploads/running_dem.tif")));
        await using var scope = db.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<JobsContext<WordJob>>();
        Assert.Equal(["old-done", "old-error"], await context.Jobs.Where(j => j.DataCleanedAt != null).OrderBy(j => j.Id).Select(j => j.Id).ToListAsync());
        var runs = await db.Services.GetRequiredService<ICleanupRunStore>().GetRunsAsync(new CleanupRunQuery());
        Assert.Equal((report.RunId, 2L), (runs.Single().RunId, runs.Single().JobsCleaned));
    }
}
