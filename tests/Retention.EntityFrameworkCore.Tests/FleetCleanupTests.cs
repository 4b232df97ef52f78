using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Deletion;
using Retention.EntityFrameworkCore.Model;
using Retention.EntityFrameworkCore.Tests.Jobs;
using Xunit.Abstractions;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>
/// Four engines, each its own container and context factory as a replica's, over one PostgreSQL database and one tree of
/// real files, with <c>SharedByReplicas</c>: they share the work and never take the same job.
/// </summary>
public sealed class FleetCleanupTests(ITestOutputHelper output)
{
    private const int Jobs = 10_000;

    [PostgresFact]
    public async Task Four_engines_over_ten_thousand_jobs_clean_every_due_job_exactly_once()
    {
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        await using var db = new TestDatabase<WordJob>(Provider.Postgres);
        await db.CreateAsync();

        // The fleet mix: seven in ten jobs due (JobLayout.FleetMix).
        await db.AddAsync(Enumerable.Range(0, Jobs).Select(i =>
        {
            var (status, age) = JobLayout.FleetMix(i);
            return JobLayout.Job(tree, $"job-{i:D5}", status, age, now, inputBytes: 100 + (i % 97), outputBytes: 200 + (i % 89));
        }).ToList());
        static bool IsDue(int i) => JobLayout.IsDueInFleetMix(i);
        var expectedBytes = Enumerable.Range(0, Jobs).Where(IsDue).Sum(i => 100L + (i % 97) + 200 + (i % 89));
        const int due = Jobs / 10 * 7;

        var replicas = Enumerable.Range(0, 4).Select(_ =>
        {
            var services = new ServiceCollection();
            services.AddDbContextFactory<JobsContext<WordJob>>(db.Configure);
            services.AddJobCleanup(o =>
                {
                    o.AddRoot("uploads", tree.Dir("uploads")).AddRoot("results", tree.Dir("results"));
                    o.BatchSize = 100;
                    o.MaxReportedJobs = 1_000_000;
                })
                .UseEntityFrameworkCoreStore<JobsContext<WordJob>, WordJob>(WordJob.Map, o => o.SharedByReplicas = true);
            return services.BuildServiceProvider();
        }).ToList();
        try
        {
            var reports = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default))));

            // No error, and the jobs cleaned add up to the due jobs: none twice, none left, no claim left behind.
            Assert.All(reports, r => Assert.Equal((CleanupOutcome.Completed, 0L, null), (r.Outcome, r.Stats.JobsFailed, r.Error)));
            Assert.Equal(due, reports.Sum(r => r.Stats.JobsCleaned));
            await using (var context = await db.OpenAsync())
            {
                Assert.Equal(due, await context.Jobs.CountAsync(j => j.DataCleanedAt != null));
                Assert.Equal(0, await context.Set<RetentionJobClaim>().CountAsync());
            }

            // No file deleted twice: every artifact a replica touched, it deleted; none was found already gone.
            var artifacts = reports.SelectMany(r => r.Jobs).SelectMany(j => j.Artifacts).ToList();
            Assert.Equal(2 * due, artifacts.Count(a => a.Outcome == DeletionOutcome.Deleted));
            Assert.DoesNotContain(artifacts, a => a.Outcome != DeletionOutcome.Deleted);
            Assert.Equal(due, reports.SelectMany(r => r.Jobs).Select(j => j.JobId).Distinct().Count());
            Assert.Equal(expectedBytes, reports.Sum(r => r.Stats.BytesFreed));

            // Nothing not due was touched.
            for (var i = 0; i < Jobs; i++)
            {
                Assert.Equal(!IsDue(i), File.Exists(tree.Path_($"uploads/job-{i:D5}_dem.tif")));
                Assert.Equal(!IsDue(i), Directory.Exists(tree.Path_($"results/job-{i:D5}")));
            }

            Assert.True(reports.Count(r => r.Stats.JobsCleaned > 0) >= 2, "at least two replicas took part");
            output.WriteLine($"{Jobs} jobs, {due} due, 4 replicas: cleaned {string.Join(" + ", reports.Select(r => r.Stats.JobsCleaned))} = {reports.Sum(r => r.Stats.JobsCleaned)}");
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }
}
