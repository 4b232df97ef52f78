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
