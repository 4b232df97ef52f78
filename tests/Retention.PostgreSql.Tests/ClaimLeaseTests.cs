using Npgsql;
using Retention.Cleanup;
using Retention.Stores;
using Xunit.Abstractions;

namespace Retention.PostgreSql.Tests;

/// <summary>
/// Claims follow the life of the run that holds them: renewed while it lives, however long its batches take; lapsing within
/// a claim timeout once it dies, after which another replica finishes what the dead one started.
/// </summary>
public sealed class ClaimLeaseTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    [PostgresFact]
    public async Task A_dead_replicas_claims_lapse_within_the_claim_timeout_and_the_next_run_finishes_its_jobs()
    {
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        await using var fleet = new Fleet(database, tree, replicas: 1, o => o.BatchSize = 10, p => p.ClaimTimeout = Lease);
        await fleet.Store(0).UpsertAsync(Enumerable.Range(0, 30).Select(i => JobLayout.Job(tree, $"job-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(8), now, 100, 200)));

        // The dead replica: its own store (its own pool) claims the first ten, deletes the data of four and half of two
        // more, records nothing, and stops renewing, as a process killed with SIGKILL would.
        var dead = new PostgresJobStore(new PostgresJobStoreOptions { ConnectionString = database.ConnectionString, Schema = fleet.Schema, ClaimTimeout = Lease });
        var claimed = new List<string>();
        await foreach (var job in dead.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Succeeded], now.AddDays(-7), 10) { ClaimOwner = "dead-replica" }))
        {
            claimed.Add(job.Id);
            if (claimed.Count == 10)
            {
                break;
            }
        }

        foreach (var id in claimed.Take(6))
        {
            File.Delete(tree.Path_($"uploads/{id}_dem.tif"));
            if (claimed.IndexOf(id) < 4)
            {
                Directory.Delete(tree.Path_($"results/{id}"), recursive: true);
            }
        }

        await dead.DisposeAsync();
        var died = DateTimeOffset.UtcNow;

        // A run at once cleans the twenty unclaimed jobs and leaves the dead replica's ten alone, data and all.
        var first = await fleet.Cleaner(0).RunAsync(CleanupRequest.Default);
        Assert.Equal((CleanupOutcome.Completed, null, 20L), (first.Outcome, first.Error, first.Stats.JobsCleaned));
        Assert.DoesNotContain(first.Jobs, j => claimed.Contains(j.JobId));
        Assert.Empty(await database.JobsMarkedWithDataAsync(fleet.Schema, tree));

        // Once the claims lapse (within the claim timeout of the death, since nothing renews them), the next run takes
        // those ten: the ones whose data is gone are marked, the half-deleted ones finished, the untouched ones cleaned.
        var lapse = await database.ScalarAsync($"SELECT ceil(extract(epoch FROM max(claimed_until) - now()) * 1000)::bigint FROM \"{fleet.Schema}\".job_claims WHERE owner = 'dead-replica'");
        Assert.InRange(lapse, 1, (long)Lease.TotalMilliseconds);
        await Task.Delay(TimeSpan.FromMilliseconds(lapse + 200));
        var second = await fleet.Cleaner(0).RunAsync(CleanupRequest.Default);
        var blocked = DateTimeOffset.UtcNow - died;

        Assert.Equal((CleanupOutcome.Completed, null, 10L), (second.Outcome, second.Error, second.Stats.JobsCleaned));
        Assert.Equal(claimed.Order(), second.Jobs.Select(j => j.JobId).Order());
        Assert.Equal(30, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".jobs WHERE data_cleaned_at IS NOT NULL"));
        Assert.Equal(30, await database.ScalarAsync($"SELECT count(DISTINCT job_id) FROM \"{fleet.Schema}\".cleanup_audit WHERE action = 'deleted_data'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".job_claims"));
        Assert.All(claimed, id => Assert.False(File.Exists(tree.Path_($"uploads/{id}_dem.tif")) || Directory.Exists(tree.Path_($"results/{id}"))));
        Assert.Empty(await database.JobsMarkedWithDataAsync(fleet.Schema, tree));
        output.WriteLine($"the dead replica's claims lapsed {lapse} ms after the first run; its jobs were cleaned {blocked.TotalSeconds:F1} s after it died (ClaimTimeout {Lease.TotalSeconds} s)");
    }

    [PostgresFact]
    public async Task A_live_run_keeps_its_claims_past_the_claim_timeout_and_another_run_does_not_take_them()
    {
        var now = DateTimeOffset.UtcNow;
        await using var live = database.NewStore(o => o.ClaimTimeout = Lease);
        await live.UpsertAsync(Enumerable.Range(0, 8).Select(i => new JobRecord($"job-{i}", JobStatus.Succeeded) { CreatedAt = now.AddDays(-9), CompletedAt = now.AddDays(-8) }));
        await using var other = database.NewStore(o => { o.ClaimTimeout = Lease; o.Schema = live.SchemaName; });
        var query = new CleanupCandidateQuery([JobStatus.Succeeded], now.AddDays(-7), 4);

        // The live run claims its first page and spends one and a half claim timeouts on it.
        var held = new List<JobRecord>();
        await foreach (var job in live.GetCleanupCandidatesAsync(query with { ClaimOwner = "live-run" }))
        {
            held.Add(job);
            if (held.Count == 4)
            {
                break;
            }
        }

        await Task.Delay(Lease * 1.5);
        var taken = new List<string>();
        await foreach (var job in other.GetCleanupCandidatesAsync(query with { ClaimOwner = "other-run" }))
        {
            taken.Add(job.Id);
        }

        Assert.Equal(["job-4", "job-5", "job-6", "job-7"], taken);
        Assert.Equal(held.Select(j => j.Id).Order(), (await live.ConfirmClaimsAsync("live-run", held)).Order());
        Assert.Contains("live-run", live.RenewedOwners);

        // Released, its claims stop being renewed and are gone.
        await live.ReleaseClaimsAsync("live-run");
        Assert.DoesNotContain("live-run", live.RenewedOwners);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM {live.ClaimsTable} WHERE owner = 'live-run'"));
    }

    [PostgresFact]
    public async Task Only_jobs_due_by_their_own_statuss_retention_are_claimed()
    {
        var now = DateTimeOffset.UtcNow;
        await using var store = database.NewStore();
        await store.UpsertAsync([
            new JobRecord("succeeded-8d", JobStatus.Succeeded) { CreatedAt = now.AddDays(-9), CompletedAt = now.AddDays(-8) },
            new JobRecord("succeeded-2d", JobStatus.Succeeded) { CreatedAt = now.AddDays(-3), CompletedAt = now.AddDays(-2) },
            new JobRecord("failed-1d", JobStatus.Failed) { CreatedAt = now.AddDays(-2), CompletedAt = now.AddDays(-1) },
            new JobRecord("failed-1h", JobStatus.Failed) { CreatedAt = now.AddHours(-2), CompletedAt = now.AddHours(-1) },
            new JobRecord("cancelled-1d", JobStatus.Cancelled) { CreatedAt = now.AddDays(-2), CompletedAt = now.AddDays(-1) }]);

        // The default policy's shape: succeeded jobs after 7 days, failed and cancelled ones after 12 hours. The job that
        // succeeded 2 days ago is past the shortest retention (12 hours) but not its own, so it is neither streamed nor claimed.
        var query = new CleanupCandidateQuery([JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled], now.AddHours(-12), 10)
        {
            FinishedBeforeByStatus = new Dictionary<JobStatus, DateTimeOffset> { [JobStatus.Succeeded] = now.AddDays(-7), [JobStatus.Failed] = now.AddHours(-12), [JobStatus.Cancelled] = now.AddHours(-12) },
            ClaimOwner = "run-a",
        };
        var streamed = new List<string>();
        await foreach (var job in store.GetCleanupCandidatesAsync(query))
        {
            streamed.Add(job.Id);
        }

        Assert.Equal(["cancelled-1d", "failed-1d", "succeeded-8d"], streamed);
        Assert.Equal(3, await store.CountCleanupCandidatesAsync(query));
        Assert.Equal(3, await database.ScalarAsync($"SELECT count(*) FROM {store.ClaimsTable} WHERE owner = 'run-a'"));
        Assert.Equal(4, await store.CountCleanupCandidatesAsync(query with { FinishedBeforeByStatus = null }));

        // A job the run leaves alone is released with its batch; another owner's release touches nothing of it.
        await store.ReleaseJobClaimsAsync("run-a", ["failed-1d"]);
        await store.ReleaseJobClaimsAsync("run-b", ["cancelled-1d"]);
        Assert.Equal(["cancelled-1d", "succeeded-8d"], await ClaimedAsync(store, "run-a"));
        await store.ReleaseClaimsAsync("run-a");
    }

    [PostgresFact]
    public async Task A_stream_whose_session_is_ended_between_pages_resumes_after_its_last_key()
    {
        var now = DateTimeOffset.UtcNow;
        var application = "retention-stream-" + Guid.NewGuid().ToString("N")[..8];
        await using var store = database.NewStore(o => o.ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = application, MaxPoolSize = 1 }.ConnectionString);
        await store.UpsertAsync(Enumerable.Range(0, 20).Select(i => new JobRecord($"job-{i:D2}", JobStatus.Succeeded) { CreatedAt = now.AddDays(-9), CompletedAt = now.AddDays(-8) }));
        var query = new CleanupCandidateQuery([JobStatus.Succeeded], now.AddDays(-7), 5);

        foreach (var owner in new[] { "run-a", null })
        {
            // After every page the store's one pooled session is ended by the server: the next page's statement fails with 57P01.
            var seen = new List<string>();
            var killed = 0L;
            await foreach (var job in store.GetCleanupCandidatesAsync(query with { ClaimOwner = owner }))
            {
                seen.Add(job.Id);
                if (seen.Count % 5 == 0)
                {
                    killed += await database.ScalarAsync("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @app) killed", ("app", application));
                }
            }

            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"job-{i:D2}"), seen);
            Assert.Equal(4, killed);
        }

        Assert.Equal(20, await database.ScalarAsync($"SELECT count(*) FROM {store.ClaimsTable} WHERE owner = 'run-a'"));
    }

    [PostgresFact]
    public async Task A_run_whose_sessions_are_ended_while_it_streams_completes_and_cleans_every_due_job_once()
    {
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        var application = "retention-run-" + Guid.NewGuid().ToString("N")[..8];
        await using var fleet = new Fleet(database, tree, replicas: 1, o => o.BatchSize = 5, p => p.ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = application }.ConnectionString);
        await fleet.Store(0).UpsertAsync(Enumerable.Range(0, 40).Select(i => JobLayout.Job(tree, $"job-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(8), now, 100, 200)));
        var killer = new KillSessions(database, application, every: 4);

        var report = await fleet.Cleaner(0).RunAsync(CleanupRequest.Default with { JobFinished = killer });

        Assert.True(killer.Killed > 0);
        Assert.Equal((CleanupOutcome.Completed, null, 40L, 0L), (report.Outcome, report.Error, report.Stats.JobsCleaned, report.Stats.JobsFailed));
        Assert.Equal(40, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".jobs WHERE data_cleaned_at IS NOT NULL"));
        Assert.Equal(40, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".cleanup_audit WHERE action = 'deleted_data'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM \"{fleet.Schema}\".job_claims"));
        output.WriteLine($"{killer.Killed} sessions ended during the run");
    }

    private async Task<List<string>> ClaimedAsync(PostgresJobStore store, string owner)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT job_id FROM {store.ClaimsTable} WHERE owner = @owner ORDER BY job_id", connection);
        command.Parameters.AddWithValue("owner", owner);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Ends every session of the run's application after every few finished jobs: the stream's, the recorder's, all.</summary>
    private sealed class KillSessions(PostgresDatabase database, string application, int every) : IProgress<JobCleanupDetail>
    {
        private int _finished;

        public long Killed { get; private set; }

        public void Report(JobCleanupDetail value)
        {
            if (Interlocked.Increment(ref _finished) % every == 0)
            {
                Killed += database.ScalarAsync("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @app) killed", ("app", application)).GetAwaiter().GetResult();
            }
        }
    }
}
