using Retention.Stores;

namespace Retention.PostgreSql.Tests;

/// <summary>Claims: what one run streams, no other run streams; a job that changed after it was read is not confirmed.</summary>
public sealed class ClaimTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly CleanupCandidateQuery Due = new([JobStatus.Succeeded], Now.AddDays(-7), 4);

    [PostgresFact]
    public async Task Runs_stream_disjoint_jobs_confirm_only_unchanged_ones_and_release_the_rest()
    {
        await using var store = database.NewStore();
        await store.UpsertAsync(Enumerable.Range(0, 10).Select(i => new JobRecord($"job-{i}", JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) }));

        // Run A reads one page (four jobs) and stops there; run B, meanwhile, streams to the end.
        var a = new List<JobRecord>();
        await foreach (var job in store.GetCleanupCandidatesAsync(Due with { ClaimOwner = "run-a" }))
        {
            a.Add(job);
            if (a.Count == 4)
            {
                break;
            }
        }

        var b = await ListAsync(store.GetCleanupCandidatesAsync(Due with { ClaimOwner = "run-b" }));
        Assert.Equal(10, a.Concat(b).Select(j => j.Id).Distinct().Count());
        Assert.Equal(6, b.Count);

        // The host re-queues one of A's jobs: its row version changes, so A does not delete it.
        await database.ExecuteAsync($"UPDATE {store.JobsTable} SET status = 'pending' WHERE id = @id", ("id", a[0].Id));
        var confirmed = await store.ConfirmClaimsAsync("run-a", a);
        Assert.Equal(a.Skip(1).Select(j => j.Id).Order(), confirmed.Order());
        Assert.Empty(await store.ConfirmClaimsAsync("run-b", a));

        // A releases its claims: the three still due are free for the next run; the re-queued one is no longer a candidate.
        await store.ReleaseClaimsAsync("run-a");
        var c = await ListAsync(store.GetCleanupCandidatesAsync(Due with { ClaimOwner = "run-c" }));
        Assert.Equal(a.Skip(1).Select(j => j.Id).Order(), c.Select(j => j.Id).Order());
    }

    [PostgresFact]
    public async Task A_run_never_gets_its_own_jobs_again_when_their_claims_lapse_mid_run()
    {
        await using var store = database.NewStore(o => o.ClaimTimeout = TimeSpan.FromSeconds(10));
        await store.UpsertAsync(Enumerable.Range(1, 6).Select(i => new JobRecord($"job-{i}", JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) }));
        var seen = new List<string>();

        await foreach (var job in store.GetCleanupCandidatesAsync(Due with { BatchSize = 3, ClaimOwner = "run-a" }))
        {
            seen.Add(job.Id);
            if (seen.Count == 3)
            {
                // The run kept its first three (not due by some rule) and spent longer on them than the claim timeout.
                await database.ExecuteAsync($"UPDATE {store.ClaimsTable} SET claimed_until = now() - interval '1 second'");
            }
        }

        Assert.Equal(["job-1", "job-2", "job-3", "job-4", "job-5", "job-6"], seen);
    }

    [PostgresFact]
    public async Task A_job_changed_after_it_was_planned_is_not_marked_cleaned()
    {
        await using var store = database.NewStore();
        await store.UpsertAsync([new JobRecord("job-1", JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) }]);
        var planned = (await ListAsync(store.GetCleanupCandidatesAsync(Due with { ClaimOwner = "run-a" }))).Single();

        // The host re-runs the job (completed again, new outputs) while the run deletes the old ones.
        await database.ExecuteAsync($"UPDATE {store.JobsTable} SET completed_at = now() WHERE id = 'job-1'");
        await store.MarkDataCleanedAsync([new JobDataCleaned("job-1", JobStatus.Succeeded, Now, 10, 1, null) { ExpectedVersion = planned.Version }]);

        Assert.Null((await store.FindJobAsync("job-1"))!.DataCleanedAt);
        await store.MarkDataCleanedAsync([new JobDataCleaned("job-1", JobStatus.Succeeded, Now, 10, 1, null) { ExpectedVersion = (await store.FindJobAsync("job-1"))!.Version }]);
        Assert.NotNull((await store.FindJobAsync("job-1"))!.DataCleanedAt);
    }

    [PostgresFact]
    public async Task A_read_only_store_reads_a_migrated_schema_and_writes_nothing()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..10];
        await using var before = database.NewStore(o => { o.Schema = schema; o.ReadOnly = true; });
        var unset = await Assert.ThrowsAsync<RetentionConfigurationException>(() => before.InitializeAsync());
        Assert.Contains("is not set up for the store yet", unset.Message, StringComparison.Ordinal);

        await using (var writer = database.NewStore(o => o.Schema = schema))
        {
            await writer.UpsertAsync([new JobRecord("job-1", JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) }]);
        }

        await using var reader = database.NewStore(o => { o.Schema = schema; o.ReadOnly = true; });
        Assert.Single(await ListAsync(reader.GetCleanupCandidatesAsync(Due)));
        await Assert.ThrowsAsync<RetentionConfigurationException>(async () => await reader.MarkDataCleanedAsync([new JobDataCleaned("job-1", JobStatus.Succeeded, Now, 0, 0, null)]));
        await Assert.ThrowsAsync<RetentionConfigurationException>(() => ListAsync(reader.GetCleanupCandidatesAsync(Due with { ClaimOwner = "run-a" })));
        Assert.Null((await reader.FindJobAsync("job-1"))!.DataCleanedAt);
    }

    [PostgresFact]
    public async Task A_dry_run_claims_nothing_and_sees_every_candidate()
    {
        await using var store = database.NewStore();
        await store.UpsertAsync(Enumerable.Range(0, 10).Select(i => new JobRecord($"job-{i}", JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) }));
        _ = await ListAsync(store.GetCleanupCandidatesAsync(Due with { ClaimOwner = "run-a" }));

        var preview = await ListAsync(store.GetCleanupCandidatesAsync(Due));

        Assert.Equal(10, preview.Count);
        Assert.All(preview, j => Assert.NotNull(j.Version));
    }

    private static async Task<List<JobRecord>> ListAsync(IAsyncEnumerable<JobRecord> jobs)
    {
        var list = new List<JobRecord>();
        await foreach (var job in jobs)
        {
            list.Add(job);
        }

        return list;
    }
}
