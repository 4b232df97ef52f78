using System.Diagnostics;
using Retention.Cleanup;
using Retention.Deletion;
using Xunit.Abstractions;

namespace Retention.PostgreSql.Tests;

/// <summary>Several engines over one PostgreSQL database and one tree of real files: they share the work and never take the same job.</summary>
public sealed class FleetCleanupTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private const int Jobs = 10_000;

    // The fleet mix (JobLayout.FleetMix); input and output sizes vary with the job.
    private static List<JobRecord> Populate(TempTree tree, DateTimeOffset now)
    {
        var jobs = new List<JobRecord>(Jobs);
        for (var i = 0; i < Jobs; i++)
        {
            var (status, age) = JobLayout.FleetMix(i);
            jobs.Add(JobLayout.Job(tree, $"job-{i:D5}", status, age, now, inputBytes: 100 + (i % 97), outputBytes: 200 + (i % 89)));
        }

        return jobs;
    }

    private static bool IsDue(int i) => JobLayout.IsDueInFleetMix(i);

    [PostgresFact]
    public async Task Four_engines_over_ten_thousand_jobs_clean_every_due_job_exactly_once()
    {
        var now = DateTimeOffset.UtcNow;
        using var shared = new TempTree();
        using var alone = new TempTree();
        await using var fleet = new Fleet(database, shared, replicas: 4);
        await using var single = new Fleet(database, alone, replicas: 1);
        await fleet.Store(0).UpsertAsync(Populate(shared, now));
        await single.Store(0).UpsertAsync(Populate(alone, now));
        var expectedBytes = Enumerable.Range(0, Jobs).Where(IsDue).Sum(i => 100L + (i % 97) + 200 + (i % 89));
        const int due = Jobs / 10 * 7;
        for (var r = 0; r < 4; r++)
        {
            await fleet.Store(r).InitializeAsync(); // all replicas warm, so they start together
        }

        var clock = Stopwatch.StartNew();
        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(r => Task.Run(() => fleet.Cleaner(r).RunAsync(CleanupRequest.Default))));
        var fleetTime = clock.Elapsed;
        clock.Restart();
        var alone1 = await single.Cleaner(0).RunAsync(CleanupRequest.Default);
        var singleTime = clock.Elapsed;

        // No error, and the jobs cleaned add up to the due jobs: none twice, none left.
        Assert.All(reports, r => Assert.Equal((CleanupOutcome.Completed, 0L, null), (r.Outcome, r.Stats.JobsFailed, r.Error)));
        Assert.Equal(due, reports.Sum(r => r.Stats.JobsCleaned));
        Assert.Equal(due, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".jobs WHERE data_cleaned_at IS NOT NULL"));
        Assert.Equal(due, await database.ScalarAsync($"SELECT count(DISTINCT job_id) FROM \"{fleet.Schema}\".cleanup_audit WHERE action = 'deleted_data'"));
        Assert.Equal(due, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".cleanup_audit WHERE action = 'deleted_data'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".job_claims"));

        // No file deleted twice: every artifact a replica touched, it deleted; none was found already gone.
        var artifacts = reports.SelectMany(r => r.Jobs).SelectMany(j => j.Artifacts).ToList();
        Assert.Equal(2 * due, artifacts.Count(a => a.Outcome == DeletionOutcome.Deleted));
        Assert.DoesNotContain(artifacts, a => a.Outcome != DeletionOutcome.Deleted);
        Assert.Equal(due, reports.SelectMany(r => r.Jobs).Select(j => j.JobId).Distinct().Count());

        // The same bytes as one engine on an identical copy, and as the files written.
        Assert.Equal(expectedBytes, reports.Sum(r => r.Stats.BytesFreed));
        Assert.Equal(expectedBytes, alone1.Stats.BytesFreed);
        Assert.Equal(due, alone1.Stats.JobsCleaned);

        // Nothing not due was touched: running, young-succeeded and recent-failed jobs keep their files.
        for (var i = 0; i < Jobs; i++)
        {
            Assert.Equal(!IsDue(i), File.Exists(shared.Path_($"uploads/job-{i:D5}_dem.tif")));
            Assert.Equal(!IsDue(i), Directory.Exists(shared.Path_($"results/job-{i:D5}")));
        }

        // The replicas shared the work.
        Assert.True(reports.Count(r => r.Stats.JobsCleaned > 0) >= 2, "at least two replicas took part");
        output.WriteLine($"{Jobs} jobs, {due} due, 4 replicas: cleaned {string.Join(" + ", reports.Select(r => r.Stats.JobsCleaned))} = {reports.Sum(r => r.Stats.JobsCleaned)}; " +
            $"duplicates 0; {expectedBytes} bytes; fleet {fleetTime.TotalSeconds:0.00} s, one engine {singleTime.TotalSeconds:0.00} s");
    }

    [PostgresFact]
    public async Task Jobs_whose_data_is_already_gone_are_confirmed_a_batch_at_a_time_and_marked_once()
    {
        // Due jobs with nothing left on disk: their claims are confirmed together, one statement per batch, by four
        // replicas racing over them. Each job is marked and audited exactly once, and every claim is released.
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        await using var fleet = new Fleet(database, tree, replicas: 4);
        await fleet.Store(0).UpsertAsync(Enumerable.Range(0, 2_000).Select(i =>
            new JobRecord($"gone-{i:D4}", JobStatus.Succeeded) { CreatedAt = now.AddDays(-9), StartedAt = now.AddDays(-9), CompletedAt = now.AddDays(-8) }));
        for (var r = 0; r < 4; r++)
        {
            await fleet.Store(r).InitializeAsync();
        }

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(r => Task.Run(() => fleet.Cleaner(r).RunAsync(CleanupRequest.Default))));

        Assert.All(reports, r => Assert.Equal((CleanupOutcome.Completed, 0L), (r.Outcome, r.Stats.JobsFailed)));
        Assert.Equal(2_000, reports.Sum(r => r.Stats.JobsCleaned));
        Assert.Equal(2_000, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".jobs WHERE data_cleaned_at IS NOT NULL"));
        Assert.Equal(2_000, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".cleanup_audit WHERE action = 'deleted_data'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".job_claims"));
    }
}
