using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Retention.Reaping;
using Retention.Stores;

namespace Retention.PostgreSql.Tests;

/// <summary>The reaper as one conditional UPDATE: never both failed and completed, and the seed's monitoring query over a host's own table.</summary>
public sealed class ReaperTests(PostgresDatabase database, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    [PostgresFact]
    public async Task A_job_completing_while_the_reaper_fails_it_ends_either_completed_or_failed_never_both()
    {
        await using var store = database.NewStore();
        await store.InitializeAsync();
        var jobs = store.JobsTable;
        await using var host = new NpgsqlConnection(database.ConnectionString);
        await host.OpenAsync();
        var (reaped, completed) = (0, 0);
        for (var i = 0; i < 200; i++)
        {
            var id = $"race-{i:D3}";
            var now = DateTimeOffset.UtcNow;
            await store.UpsertAsync(new JobRecord(id, JobStatus.Running) { CreatedAt = now.AddHours(-3), StartedAt = now.AddHours(-2) });
            using var start = new Barrier(2);
            var reaper = Task.Run(async () =>
            {
                start.SignalAndWait();
                var failed = await store.FailStaleJobsAsync(new StaleJobQuery([JobStatus.Running], now.AddHours(-1)), now, _ => "Execution stuck. Automatically terminated by cleanup job.");
                return failed.Any(j => j.Id == id);
            });
            var completion = Task.Run(async () =>
            {
                // The host's own completion, conditional as a worker's should be.
                await using var command = new NpgsqlCommand($"UPDATE {jobs} SET status = 'completed', completed_at = now() WHERE id = @id AND status = 'running'", host);
                command.Parameters.AddWithValue("id", id);
                start.SignalAndWait();
                return await command.ExecuteNonQueryAsync() == 1;
            });

            var (wasReaped, wasCompleted) = (await reaper, await completion);
            var status = await database.ScalarAsync($"SELECT CASE status WHEN 'failed' THEN 1 WHEN 'completed' THEN 2 ELSE 0 END FROM {jobs} WHERE id = @id", ("id", id));

            Assert.True(wasReaped ^ wasCompleted, $"{id}: reaped {wasReaped}, completed {wasCompleted}");
            Assert.Equal(wasReaped ? 1 : 2, status);
            reaped += wasReaped ? 1 : 0;
            completed += wasCompleted ? 1 : 0;
        }

        Assert.Equal(200, reaped + completed);
        output.WriteLine($"200 races: reaper won {reaped}, completion won {completed}, both 0");
        Assert.Equal(reaped, await database.ScalarAsync($"SELECT count(*) FROM {store.AuditTable} WHERE action = 'failed_stale_job'"));
    }

    [PostgresFact]
    public async Task A_hosts_enum_status_column_is_cleaned_and_reaped_through_its_own_labels()
    {
        var type = "exec_status_" + Guid.NewGuid().ToString("N")[..8];
        var table = "runs_" + Guid.NewGuid().ToString("N")[..8];
        await database.ExecuteAsync($"""
            CREATE TYPE {type} AS ENUM ('queued', 'running', 'done', 'error');
            CREATE TABLE public.{table} (id uuid PRIMARY KEY, status {type} NOT NULL, created_at timestamptz NOT NULL,
                started_at timestamptz, completed_at timestamptz, error_message text);
            INSERT INTO public.{table} VALUES
                ('00000000-0000-0000-0000-000000000001', 'done', now() - interval '9 days', now() - interval '9 days', now() - interval '8 days', NULL),
                ('00000000-0000-0000-0000-000000000002', 'running', now() - interval '3 days', now() - interval '3 days', NULL, NULL),
                ('00000000-0000-0000-0000-000000000003', 'done', now() - interval '1 day', now() - interval '1 day', now() - interval '1 day', NULL);
            """);
        void Map(PostgresJobStoreOptions o)
        {
            o.Jobs.Schema = "public";
            o.Jobs.Table = table;
            o.Jobs.JobType = null;
            o.StatusNames[JobStatus.Pending] = "queued";
            o.StatusNames[JobStatus.Succeeded] = "done";
            o.StatusNames[JobStatus.Failed] = "error";
        }

        await using var store = database.NewStore(Map);
        var due = new List<JobRecord>();
        await foreach (var job in store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled], DateTimeOffset.UtcNow.AddDays(-7), 10) { ClaimOwner = "run-a" }))
        {
            due.Add(job);
        }

        var reaped = await store.FailStaleJobsAsync(new StaleJobQuery([JobStatus.Running, JobStatus.Scheduled], DateTimeOffset.UtcNow.AddDays(-1)), DateTimeOffset.UtcNow, _ => "stuck");

        Assert.Equal(["00000000-0000-0000-0000-000000000001"], due.Select(j => j.Id));
        Assert.Equal(["00000000-0000-0000-0000-000000000002"], reaped.Select(j => j.Id));
        Assert.Equal(JobStatus.Failed, (await store.FindJobAsync("00000000-0000-0000-0000-000000000002"))!.Status);
        Assert.Null(await store.FindJobAsync("not-a-uuid"));

        // An enum without a label for failed jobs cannot be reaped into: said at start, naming the option.
        await using var unmapped = database.NewStore(o => { Map(o); o.StatusNames.Remove(JobStatus.Failed); });
        var error = await Assert.ThrowsAsync<RetentionConfigurationException>(() => unmapped.InitializeAsync());
        Assert.Contains("has no label 'failed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("StatusNames:Failed", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task The_reaper_fails_stuck_executions_in_a_hosts_own_table_and_the_seed_monitoring_query_then_finds_none()
    {
        // Scrapazoid's executions table (seed 001): integer ids, timestamps without time zone, no job type.
        var table = "executions_" + Guid.NewGuid().ToString("N")[..8];
        await database.ExecuteAsync($"""
            CREATE TABLE public.{table} (id serial PRIMARY KEY, user_id integer, status varchar(20) NOT NULL, created_at timestamp NOT NULL DEFAULT now(),
                started_at timestamp, completed_at timestamp, error_message text);
            SET TIME ZONE 'UTC';
            INSERT INTO public.{table} (user_id, status, started_at) VALUES
                (1, 'running', now() - interval '7 minutes 42 seconds'), (2, 'pending', now() - interval '15 minutes'),
                (3, 'running', now() - interval '63 minutes'), (4, 'running', now() - interval '2 minutes');
            INSERT INTO public.{table} (user_id, status, started_at, completed_at) VALUES (5, 'completed', now() - interval '1 hour', now() - interval '50 minutes');
            """);
        using var tree = new TempTree();
        var services = new ServiceCollection();
        services.AddJobCleanup(o =>
            {
                o.AddRoot("screenshots", tree.Dir("screenshots"));
                o.StaleJobs.ExecutionTimeout = TimeSpan.FromMinutes(5);
                o.StaleJobs.Buffer = TimeSpan.FromMinutes(1);
                o.StaleJobs.Statuses = ["running", "pending"];
            })
            .UsePostgresStore(p =>
            {
                p.ConnectionString = database.ConnectionString;
                p.Schema = "t_" + Guid.NewGuid().ToString("N")[..10];
                p.Jobs.Schema = "public";
                p.Jobs.Table = table;
                p.Jobs.JobType = null;
            });
        await using var provider = services.BuildServiceProvider();

        // The seed's monitoring query, verbatim (on a session in UTC, as the seed's server ran).
        var seedQuery = $"""
            SET TIME ZONE 'UTC';
            SELECT count(*) FROM (SELECT id, user_id, started_at,
            EXTRACT(EPOCH FROM (NOW() - started_at)) as runtime_seconds
            FROM {table}
            WHERE status IN ('running', 'pending')
            AND started_at < NOW() - INTERVAL '6 minutes'
            ORDER BY started_at) stuck
            """;
        Assert.Equal(3, await database.ScalarAsync(seedQuery));

        var report = await provider.GetRequiredService<IStaleJobReaper>().ReapStuckJobsAsync();

        Assert.Equal(3, report.Reaped.Count);
        Assert.Equal(0, await database.ScalarAsync(seedQuery));
        Assert.Equal(["1", "2", "3"], report.Reaped.Select(r => r.JobId).Order());
        Assert.Equal(3, await database.ScalarAsync($"SELECT count(*) FROM public.{table} WHERE status = 'failed' AND completed_at IS NOT NULL AND error_message LIKE 'Execution stuck for %. Automatically terminated by cleanup job.'"));
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM public.{table} WHERE status = 'failed' AND error_message LIKE 'Execution stuck for 0:07:4_.%'"));
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM public.{table} WHERE id = 4 AND status = 'running' AND error_message IS NULL"));
    }
}
