using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Holds;
using Retention.Stores;

namespace Retention.PostgreSql.Tests;

/// <summary>Holds on the PostgreSQL store: migrated in place, honoured by the claiming candidate query and by the claims' confirmation.</summary>
public sealed class HoldTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly CleanupCandidateQuery Due = new([JobStatus.Succeeded], Now.AddDays(-7), 10) { ExcludeHeldAt = Now };

    private static JobRecord Finished(string id) => new(id, JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) };

    [PostgresFact]
    public async Task A_schema_migrated_before_holds_gets_the_holds_table_in_place_as_its_fifth_step()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..10];
        await using (var first = database.NewStore(o => o.Schema = schema))
        {
            await first.UpsertAsync([Finished("job-1")]);

            // As a database set up by the version before holds: the step and its table are not there.
            await database.ExecuteAsync($"DROP TABLE {first.HoldsTable}");
            await database.ExecuteAsync($"DELETE FROM {first.MigrationsTable} WHERE version = 5");
        }

        await using var store = database.NewStore(o => o.Schema = schema);
        await store.AddHoldAsync(new JobHold("alice", "legal hold") { JobId = "job-1", CreatedAt = Now });

        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM {store.MigrationsTable} WHERE version = 5"));
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = @schema AND indexname = 'ix_retention_holds_job'", ("schema", schema)));
        Assert.Equal("job-1", Assert.Single(await store.GetHoldsAsync("job-1", Now)).JobId);
        Assert.Empty(await store.GetCleanupCandidatesAsync(Due).ToListAsync());
    }

    [PostgresFact]
    public async Task The_claiming_query_skips_held_jobs_and_a_hold_placed_after_the_claim_is_not_confirmed()
    {
        await using var store = database.NewStore();
        await store.UpsertAsync([Finished("job-1"), Finished("job-2"), Finished("job-3")]);
        await store.AddHoldAsync(new JobHold("alice", "legal hold") { JobId = "job-1", CreatedAt = Now });
        await store.AddHoldAsync(new JobHold("bob", "ended", Now.AddMinutes(-1)) { JobId = "job-2", CreatedAt = Now.AddDays(-1) });

        var claimed = await store.GetCleanupCandidatesAsync(Due with { ClaimOwner = "run-a" }).ToListAsync();
        Assert.Equal(["job-2", "job-3"], claimed.Select(j => j.Id));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM {store.ClaimsTable} WHERE job_id = 'job-1'"));

        // An operator holds job-3 while run A is between planning and deleting it: the confirmation leaves it out.
        await store.AddHoldAsync(new JobHold("carol", "incident 42", Now.AddDays(1)) { JobId = "job-3", CreatedAt = Now });
        Assert.Equal(["job-2"], await store.ConfirmClaimsAsync("run-a", claimed));
    }

    [PostgresFact]
    public async Task Holds_through_the_api_are_audited_with_who_and_a_run_keeps_the_held_job_and_a_hold_placed_mid_run_stops_its_deletion()
    {
        using var tree = new TempTree();
        await using var fleet = new Fleet(database, tree, replicas: 1);
        var store = fleet.Store(0);
        await store.UpsertAsync(new[] { "job-held", "job-racing", "job-free" }.Select(id => JobLayout.Job(tree, id, JobStatus.Succeeded, TimeSpan.FromDays(9), Now, 100, 200)));
        var holds = fleet.Replicas[0].GetRequiredService<IJobHolds>();
        var legal = await holds.AddAsync("job-held", "alice", "legal hold");
        var released = await holds.AddAsync("job-free", "bob", "kept a moment");
        await holds.ReleaseAsync(released.Id, "carol");

        // A second engine over the same store, whose stream holds job-racing just after reading it.
        var racing = new HoldPlacedAfterReading<PostgresJobStore>(store, "job-racing", new JobHold("dave", "incident 42") { CreatedAt = Now });
        var services = new ServiceCollection();
        services.AddJobCleanup(o => o.AddRoot("uploads", tree.Dir("uploads")).AddRoot("results", tree.Dir("results"))).UseStore(_ => racing);
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.True(racing.Placed);
        Assert.Equal(["job-free"], report.Jobs.Where(j => j.Outcome == JobCleanupOutcome.Cleaned).Select(j => j.JobId));
        var kept = report.Jobs.Single(j => j.JobId == "job-racing");
        Assert.Equal((JobCleanupOutcome.Protected, "held by dave: incident 42"), (kept.Outcome, kept.Reason));
        Assert.DoesNotContain(report.Jobs, j => j.JobId == "job-held"); // not even read
        foreach (var id in new[] { "job-held", "job-racing" })
        {
            Assert.True(File.Exists(tree.Path_($"uploads/{id}_dem.tif")), id);
            Assert.Null((await store.FindJobAsync(id))!.DataCleanedAt);
        }

        Assert.Equal([legal.Id], (await store.FindJobAsync("job-held"))!.Holds.Select(h => h.Id));
        Assert.Equal(4, await database.ScalarAsync($"SELECT count(*) FROM {store.AuditTable} WHERE action LIKE 'hold%'")); // three placed, one released
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM {store.AuditTable} WHERE action = 'hold_released' AND \"user\" = 'carol' AND job_id = 'job-free'"));
    }
}
