using System.Diagnostics;
using Npgsql;
using Retention.PostgreSql;
using Xunit.Abstractions;

namespace Retention.Cli.Tests;

/// <summary>
/// Replicas are processes, and processes die without warning: <c>retention clean --postgres</c> killed with SIGKILL in the
/// middle of a run, with jobs' data deleted and not yet recorded, and a second replica that finishes every due job within a
/// minute, never marking a job while any of its data remains. And a session ended while the tool starts: the run converges.
/// </summary>
public sealed class KilledReplicaTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private const int DueJobs = 300;
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(20);

    [PostgresFact]
    public async Task A_replica_killed_mid_run_leaves_no_job_marked_with_data_and_a_second_replica_finishes_its_jobs_within_a_minute()
    {
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        var schema = await NewSchemaAsync([
            .. Enumerable.Range(0, DueJobs).Select(i => JobLayout.Job(tree, $"job-{i:D3}", i % 3 == 0 ? JobStatus.Failed : JobStatus.Succeeded, TimeSpan.FromDays(8), now, 100, 200, 50)),
            .. Enumerable.Range(0, 20).Select(i => JobLayout.Job(tree, $"new-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(1), now, 100, 200))]);

        // The marks are held back: while this transaction holds the jobs table in SHARE mode, the replica reads and claims
        // its candidates and deletes their data, but its first mark (an UPDATE) waits. It is killed there, mid-run.
        await using var blocker = new NpgsqlConnection(database.ConnectionString);
        await blocker.OpenAsync();
        var hold = await blocker.BeginTransactionAsync();
        await using (var lockJobs = new NpgsqlCommand($"LOCK TABLE \"{schema}\".jobs IN SHARE MODE", blocker, hold))
        {
            await lockJobs.ExecuteNonQueryAsync();
        }

        var killedName = "replica-killed-" + schema;
        using var first = StartTool(tree, schema, killedName);
        await WaitUntilAsync(async () => DataGone(tree, DueJobs, "D3") > 0 && await WaitingOnALockAsync(), running: first);
        first.Kill();   // SIGKILL: no finally block, no release of its claims, no last mark
        await first.WaitForExitAsync();
        var died = Stopwatch.StartNew();
        var goneAtDeath = DataGone(tree, DueJobs, "D3");
        await hold.RollbackAsync();

        // The statement the dead replica had sent (a mark, waiting on the lock) may still run once the lock is gone, as on a
        // real server; the server ends the session when it finds the client gone. Its claims stay until they lapse.
        await WaitUntilAsync(async () => await database.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{killedName}'") == 0, running: null);
        var markedAtDeath = await MarkedCountAsync(schema);
        var claimedByTheDead = await database.ScalarAsync($"SELECT count(*) FROM \"{schema}\".job_claims c JOIN \"{schema}\".jobs j ON j.id = c.job_id WHERE j.data_cleaned_at IS NULL");
        Assert.Empty(await database.JobsMarkedWithDataAsync(schema, tree));
        Assert.InRange(markedAtDeath, 0, goneAtDeath);
        Assert.InRange(claimedByTheDead, 1, DueJobs);

        // The second replica runs at once and then every few seconds: the dead replica's jobs wait for its claims to lapse
        // (ClaimTimeout, with nothing renewing them), then are finished. At no point is a job marked while its data remains.
        var runs = 0;
        while (await MarkedCountAsync(schema) < DueJobs && died.Elapsed < TimeSpan.FromMinutes(1))
        {
            using var second = StartTool(tree, schema, "replica-second");
            await second.WaitForExitAsync();
            Assert.Equal(0, second.ExitCode);
            runs++;
            Assert.Empty(await database.JobsMarkedWithDataAsync(schema, tree));
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var finished = died.Elapsed;
        Assert.Equal(DueJobs, await MarkedCountAsync(schema));
        Assert.Equal(DueJobs, DataGone(tree, DueJobs, "D3"));
        Assert.All(Enumerable.Range(0, 20), i => Assert.True(Directory.Exists(tree.Path_($"results/new-{i:D2}"))));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM \"{schema}\".job_claims"));
        Assert.True(runs > 1, "the first run after the kill should have left the dead replica's claimed jobs alone");
        Assert.True(finished < TimeSpan.FromMinutes(1), $"the dead replica's jobs were finished {finished.TotalSeconds:F1} s after it died");
        output.WriteLine($"killed with {goneAtDeath} jobs' data deleted, {markedAtDeath} of them marked by the statement it had sent, {claimedByTheDead} unmarked jobs claimed; every due job marked {finished.TotalSeconds:F1} s after the kill, in {runs} runs of the second replica (ClaimTimeout {ClaimTimeout.TotalSeconds} s)");
    }

    [PostgresFact]
    public async Task A_session_ended_while_the_tool_starts_is_retried_and_the_run_cleans_every_due_job()
    {
        var now = DateTimeOffset.UtcNow;
        using var tree = new TempTree();
        var schema = await NewSchemaAsync([.. Enumerable.Range(0, 30).Select(i => JobLayout.Job(tree, $"job-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(8), now, 100, 200))]);

        // The tool's start-up reads the store's migration table; while this transaction holds it, the start-up waits there,
        // and its session is ended by the server (57P01), as a restart or failover would end it.
        await using var blocker = new NpgsqlConnection(database.ConnectionString);
        await blocker.OpenAsync();
        var hold = await blocker.BeginTransactionAsync();
        await using (var lockMigrations = new NpgsqlCommand($"LOCK TABLE \"{schema}\".schema_migrations IN ACCESS EXCLUSIVE MODE", blocker, hold))
        {
            await lockMigrations.ExecuteNonQueryAsync();
        }

        using var tool = StartTool(tree, schema, "replica-starting");
        await WaitUntilAsync(WaitingOnALockAsync, running: tool);
        var ended = await database.ScalarAsync("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock') ended");
        await hold.RollbackAsync();
        await tool.WaitForExitAsync();

        Assert.Equal(1, ended);
        Assert.Equal(0, tool.ExitCode);
        Assert.Equal(30, await MarkedCountAsync(schema));
        Assert.Equal(30, DataGone(tree, 30, "D2"));
    }

    /// <summary>A schema of its own holding <paramref name="jobs"/>, set up by the store as a host's first start would.</summary>
    private async Task<string> NewSchemaAsync(IReadOnlyList<JobRecord> jobs)
    {
        var schema = "k_" + Guid.NewGuid().ToString("N")[..10];
        await using var store = new PostgresJobStore(new PostgresJobStoreOptions { ConnectionString = database.ConnectionString, Schema = schema });
        await store.UpsertAsync(jobs);
        return schema;
    }

    /// <summary>The tool as a replica runs it: its own process, in the installation's folder, with short claims and small batches.</summary>
    private Process StartTool(TempTree tree, string schema, string name)
    {
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = name }.ConnectionString;
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "retention"), ["clean", "--postgres", connection])
        {
            WorkingDirectory = tree.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["JobCleanup__PostgreSql__Schema"] = schema;
        start.Environment["JobCleanup__PostgreSql__ClaimTimeout"] = ClaimTimeout.ToString();
        start.Environment["JobCleanup__BatchSize"] = "25";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"[{process.Id}] {e.Data}"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"[{process.Id}] stderr: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, for up to a minute; fails if <paramref name="running"/> exits first (the test would then show nothing).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Process? running)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (running is { HasExited: true })
            {
                Assert.Fail($"the tool exited (code {running.ExitCode}) before it reached the point the test stops it at");
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), "what the test waits for did not happen within a minute");
            await Task.Delay(20);
        }
    }

    private async Task<bool> WaitingOnALockAsync() =>
        await database.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0;

    /// <summary>How many of the jobs <c>job-0</c> ... <c>job-(count-1)</c> have none of their data left.</summary>
    private static int DataGone(TempTree tree, int count, string format) =>
        Enumerable.Range(0, count).Select(i => "job-" + i.ToString(format, System.Globalization.CultureInfo.InvariantCulture))
            .Count(id => !File.Exists(tree.Path_($"uploads/{id}_dem.tif")) && !Directory.Exists(tree.Path_($"results/{id}")));

    private Task<long> MarkedCountAsync(string schema) => database.ScalarAsync($"SELECT count(*) FROM \"{schema}\".jobs WHERE data_cleaned_at IS NOT NULL");
}
