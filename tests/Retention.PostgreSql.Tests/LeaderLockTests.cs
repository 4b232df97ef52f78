using Retention.Cleanup;
using Retention.PostgreSql.Coordination;
using Retention.Stores;

namespace Retention.PostgreSql.Tests;

/// <summary>One scheduled run across the fleet: the advisory lock, the lease table and its fencing token, on a real server.</summary>
public sealed class LeaderLockTests(PostgresDatabase database, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private const string Name = "retention:scheduled-cleanup";
    private static readonly PostgresLeaderLockOptions Fast = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(100) };

    [PostgresFact]
    public async Task The_advisory_lock_has_one_holder_and_is_free_again_when_released()
    {
        await using var store = database.NewStore();
        var a = new PostgresAdvisoryLeaderLock(store, Fast);
        var b = new PostgresAdvisoryLeaderLock(store, Fast);

        var first = await a.TryAcquireAsync(Name);
        var second = await b.TryAcquireAsync(Name);
        var other = await b.TryAcquireAsync("another-lock");

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(other);
        await first!.DisposeAsync();
        await other!.DisposeAsync();
        var third = await b.TryAcquireAsync(Name);
        Assert.NotNull(third);
        Assert.False(third!.Lost.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(600)), "five heartbeats find the lock still held");
        await third.DisposeAsync();
    }

    [PostgresFact]
    public async Task Advisory_locks_of_two_deployments_in_one_database_are_separate()
    {
        await using var appA = database.NewStore();
        await using var appB = database.NewStore();

        var a = await new PostgresAdvisoryLeaderLock(appA, Fast).TryAcquireAsync(Name);
        var b = await new PostgresAdvisoryLeaderLock(appB, Fast).TryAcquireAsync(Name);

        Assert.NotNull(a);
        Assert.NotNull(b);
        await a!.DisposeAsync();
        await b!.DisposeAsync();
    }

    [PostgresFact]
    public async Task A_holder_whose_connection_is_killed_mid_run_stops_and_another_replica_finishes_with_nothing_half_recorded()
    {
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        await using var fleet = new Fleet(database, tree, replicas: 2, o => o.BatchSize = 50);
        var jobs = Enumerable.Range(0, 1000).Select(i => JobLayout.Job(tree, $"job-{i:D4}", JobStatus.Succeeded, TimeSpan.FromDays(8), now, 100, 200)).ToList();
        await fleet.Store(0).UpsertAsync(jobs);
        var lockA = new PostgresAdvisoryLeaderLock(fleet.Store(0), Fast);
        var lockB = new PostgresAdvisoryLeaderLock(fleet.Store(1), Fast);
        var lease = (PostgresAdvisoryLease)(await lockA.TryAcquireAsync(Name))!;
        Assert.Null(await lockB.TryAcquireAsync(Name));

        // After A's first batch is recorded, an operator (or a network failure) ends A's lock session.
        var killer = new KillAfterFirstBatch(database, lease);
        var first = await fleet.Cleaner(0).RunAsync(CleanupRequest.Default with { Trigger = CleanupTriggers.Schedule, Lease = lease }, killer);

        Assert.True(killer.Killed);
        Assert.Equal(CleanupOutcome.Cancelled, first.Outcome);
        Assert.Contains("Lost the leader lock", first.Error, StringComparison.Ordinal);
        Assert.InRange(first.Stats.JobsCleaned, 50, 999);

        // The server released the lock with the session: B takes it at once and finishes the rest.
        var leaseB = await lockB.TryAcquireAsync(Name);
        Assert.NotNull(leaseB);
        var second = await fleet.Cleaner(1).RunAsync(CleanupRequest.Default with { Trigger = CleanupTriggers.Schedule, Lease = leaseB });
        await leaseB!.DisposeAsync();
        await lease.DisposeAsync();

        Assert.Equal(CleanupOutcome.Completed, second.Outcome);
        Assert.Equal(1000, first.Stats.JobsCleaned + second.Stats.JobsCleaned);
        output.WriteLine($"killed holder cleaned {first.Stats.JobsCleaned} ({first.Outcome}: {first.Error}); the next holder cleaned {second.Stats.JobsCleaned}");
        Assert.Equal(1000, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".jobs WHERE data_cleaned_at IS NOT NULL"));
        Assert.Equal(1000, await database.ScalarAsync($"SELECT count(DISTINCT job_id) FROM \"{fleet.Schema}\".cleanup_audit WHERE action = 'deleted_data'"));
        Assert.Equal(1000, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".cleanup_audit"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".job_claims"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tree.Dir("results")));
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".cleanup_runs"));
    }

    [PostgresFact]
    public async Task A_lapsed_lease_is_taken_over_with_a_higher_token_and_the_old_holder_can_claim_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        await using var store = database.NewStore();
        await store.UpsertAsync(Enumerable.Range(0, 5).Select(i => new JobRecord($"job-{i}", JobStatus.Succeeded) { CreatedAt = now.AddDays(-9), CompletedAt = now.AddDays(-8) }));
        var options = new PostgresLeaderLockOptions { Mode = PostgresLeaderLockMode.LeaseTable, HeartbeatInterval = TimeSpan.FromMilliseconds(100), LeaseDuration = TimeSpan.FromSeconds(30) };
        var a = new PostgresLeaseTableLeaderLock(store, options);
        var b = new PostgresLeaseTableLeaderLock(store, options);

        var old = await a.TryAcquireAsync(Name);
        Assert.Null(await b.TryAcquireAsync(Name));

        // A pauses past its lease (a long GC, a frozen VM): its lease lapses and B takes over.
        await database.ExecuteAsync($"UPDATE {store.LeasesTable} SET expires_at = now() - interval '1 second'");
        var current = await b.TryAcquireAsync(Name);

        Assert.NotNull(current);
        Assert.True(current!.FencingToken > old!.FencingToken);
        var due = new CleanupCandidateQuery([JobStatus.Succeeded], now.AddDays(-7), 10);
        var refused = await Assert.ThrowsAsync<RetentionException>(() => ListAsync(store.GetCleanupCandidatesAsync(due with { ClaimOwner = "run-a", Fence = new LeaseFence(Name, old.FencingToken!.Value) })));
        Assert.Contains("Lost the leader lock", refused.Message, StringComparison.Ordinal);
        Assert.Equal(5, (await ListAsync(store.GetCleanupCandidatesAsync(due with { ClaimOwner = "run-b", Fence = new LeaseFence(Name, current.FencingToken!.Value) }))).Count);
        Assert.True(old.Lost.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the old holder learns at its next renewal that it lost the lease");
        Assert.False(current.Lost.IsCancellationRequested);
        await old.DisposeAsync();
        await current.DisposeAsync();
        Assert.NotNull(await a.TryAcquireAsync(Name));
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

    /// <summary>Ends the lock holder's session with pg_terminate_backend once the first batch is recorded, and waits until the holder notices.</summary>
    private sealed class KillAfterFirstBatch(PostgresDatabase database, PostgresAdvisoryLease lease) : IProgress<CleanupProgress>
    {
        public bool Killed { get; private set; }

        public void Report(CleanupProgress value)
        {
            if (Killed || value.Stage != CleanupStage.Scanning || value.JobsCleaned == 0)
            {
                return;
            }

            Killed = true;
            database.ScalarAsync("SELECT pg_terminate_backend(@pid)::int", ("pid", lease.BackendProcessId)).GetAwaiter().GetResult();
            Assert.True(lease.Lost.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the heartbeat notices the killed session");
        }
    }
}
