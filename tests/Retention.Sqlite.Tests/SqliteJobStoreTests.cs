using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Reaping;
using Retention.Stores;

namespace Retention.Sqlite.Tests;

public sealed class SqliteJobStoreTests : IDisposable
{
    private readonly SeedDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private ServiceProvider Services(Action<SqliteJobStoreOptions>? sqlite = null, Action<JobCleanupOptions>? configure = null) => _db.Services(sqlite, configure);

    [Fact]
    public async Task Seed_database_is_cleaned_by_the_seed_policy_and_the_seed_monitoring_queries_run_unchanged()
    {
        _db.AddJob("job-20240111-000000", "completed", TimeSpan.FromDays(8.2), sizeMb: 15);
        _db.AddJob("job-20240118-000000", "completed", TimeSpan.FromDays(2), sizeMb: 4);
        _db.AddJob("job-20240119-010000", "failed", TimeSpan.FromHours(13));
        _db.AddJob("job-20240119-020000", "running", TimeSpan.FromDays(3));
        _db.AddJob("job-20240119-030000", "pending", TimeSpan.FromDays(3));
        using var services = Services();

        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default with { RequestedBy = "admin" });

        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        Assert.Equal(1, report.Stats.CleanedIn(JobStatus.Succeeded));
        Assert.Equal(1, report.Stats.CleanedIn(JobStatus.Failed));
        Assert.False(Directory.Exists(Path.Combine(_db.Results, "job-20240111-000000")));
        Assert.False(File.Exists(Path.Combine(_db.Uploads, "job-20240119-010000_dem.tif")));
        Assert.True(Directory.Exists(Path.Combine(_db.Results, "job-20240118-000000")));
        Assert.True(Directory.Exists(Path.Combine(_db.Results, "job-20240119-020000")));

        // The seed's monitoring script, verbatim apart from the parameter style.
        var yesterday = (SeedDatabase.Now - TimeSpan.FromHours(24)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        var cleaned = _db.Query("SELECT COUNT(*), SUM(data_size_mb) FROM jobs WHERE data_cleaned_at > @p", ("@p", yesterday)).Single();
        Assert.Equal(2L, cleaned[0]);
        var usage = _db.Query("SELECT status, COUNT(*) as count, SUM(data_size_mb) as total_mb FROM jobs WHERE data_cleaned_at IS NULL GROUP BY status");
        Assert.Equal(["completed", "pending", "running"], usage.Select(r => (string)r[0]!));

        var audit = _db.Query("SELECT job_id, action, user FROM cleanup_audit ORDER BY job_id");
        Assert.Equal(2, audit.Count);
        Assert.All(audit, row => Assert.Equal(("deleted_data", "admin"), ((string)row[1]!, (string)row[2]!)));
        var run = _db.Query("SELECT dry_run, outcome, jobs_cleaned, bytes_freed FROM cleanup_runs").Single();
        Assert.Equal([0L, "completed", 2L, report.Stats.BytesFreed], run);
        Assert.Equal(SeedDatabase.Now, SqliteTime.Read(_db.Scalar("SELECT data_cleaned_at FROM jobs WHERE id = 'job-20240111-000000'")!));
        Assert.Equal(4.0, _db.Scalar("SELECT data_size_mb FROM jobs WHERE id = 'job-20240118-000000'")); // not cleaned: the host's figure stays
        Assert.Equal(Math.Round(report.Jobs.Single(j => j.JobId == "job-20240111-000000").BytesFreed / 1048576.0, 3), _db.Scalar("SELECT data_size_mb FROM jobs WHERE id = 'job-20240111-000000'"));
    }

    [Fact]
    public async Task Read_only_dry_run_leaves_the_database_file_and_the_tree_byte_for_byte_unchanged()
    {
        _db.AddJob("job-a", "completed", TimeSpan.FromDays(9));
        _db.AddJob("job-b", "failed", TimeSpan.FromDays(1));
        using (var migrate = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath }))
        {
            await migrate.InitializeAsync();
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal("wal", _db.Scalar("PRAGMA journal_mode"));
        SqliteConnection.ClearAllPools();
        var before = Snapshot();
        using var services = Services(o => o.ReadOnly = true);

        var preview = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Preview);
        var store = services.GetRequiredService<SqliteJobStore>();
        _ = await store.GetUsageByStatusAsync();
        await services.DisposeAsync();

        Assert.Equal(2, preview.Stats.JobsCleaned);
        var after = Snapshot();
        Assert.Equal(before.Keys.Order(), after.Keys.Order()); // no -wal or -shm left behind either
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));

        Dictionary<string, byte[]> Snapshot() => Directory.EnumerateFiles(_db.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
    }

    [Fact]
    public async Task Candidates_are_streamed_in_pages_each_once_even_while_jobs_are_marked()
    {
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath });
        await store.UpsertAsync(Enumerable.Range(0, 2500).Select(i => new JobRecord($"job-{i:00000}", JobStatus.Failed)
        {
            CreatedAt = SeedDatabase.Now.AddDays(-3),
            CompletedAt = SeedDatabase.Now.AddDays(-2),
        }));
        var seen = new List<string>();

        await foreach (var job in store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Failed], SeedDatabase.Now.AddDays(-1), 100)))
        {
            seen.Add(job.Id);
            if (seen.Count % 100 == 0)
            {
                await store.MarkDataCleanedAsync([new JobDataCleaned(job.Id, JobStatus.Failed, SeedDatabase.Now, 0, 0, null)]);
            }
        }

        Assert.Equal(2500, seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(2500, seen.Distinct().Count());
        Assert.Equal(25L, _db.Scalar("SELECT COUNT(*) FROM jobs WHERE data_cleaned_at IS NOT NULL"));
    }

    [Fact]
    public async Task Store_artifacts_and_ranks_are_read()
    {
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath });
        await store.UpsertAsync([
            new JobRecord("r1", JobStatus.Succeeded) { JobType = "report", CreatedAt = SeedDatabase.Now.AddDays(-9), CompletedAt = SeedDatabase.Now.AddDays(-9), Artifacts = [new JobArtifact(ArtifactKind.Log, "logs/r1.log", 12)] },
            new JobRecord("r2", JobStatus.Succeeded) { JobType = "report", CreatedAt = SeedDatabase.Now.AddDays(-5), CompletedAt = SeedDatabase.Now.AddDays(-5) },
            new JobRecord("r3", JobStatus.Succeeded) { JobType = "report", CreatedAt = SeedDatabase.Now.AddDays(-1), CompletedAt = SeedDatabase.Now.AddDays(-1) },
        ]);

        var jobs = await store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Succeeded], SeedDatabase.Now, 10) { IncludeRanks = true }).ToListAsync();

        Assert.Equal([2, 1, 0], jobs.Select(j => j.NewerJobsOfSameType!.Value));
        var artifact = Assert.Single(jobs[0].Artifacts);
        Assert.Equal((ArtifactKind.Log, "logs/r1.log", (long?)12), (artifact.Kind, artifact.Path, artifact.SizeBytes));
    }

    [Fact]
    public async Task Reaper_fails_stuck_jobs_with_a_compare_and_set()
    {
        _db.AddJob("exec-1", "running", TimeSpan.FromMinutes(7) - TimeSpan.FromHours(1));
        _db.AddJob("exec-2", "running", TimeSpan.FromMinutes(3) - TimeSpan.FromHours(1));
        using var services = Services(configure: o => (o.StaleJobs.ExecutionTimeout, o.StaleJobs.Buffer) = (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));

        var report = await services.GetRequiredService<IStaleJobReaper>().ReapStuckJobsAsync();

        Assert.Equal("exec-1", Assert.Single(report.Reaped).JobId);
        var row = _db.Query("SELECT status, error_message, completed_at FROM jobs WHERE id = 'exec-1'").Single();
        Assert.Equal("failed", row[0]);
        Assert.Equal("Execution stuck for 0:07:00. Automatically terminated by cleanup job.", row[1]);
        Assert.Equal(SeedDatabase.Now, SqliteTime.Read(row[2]!));
        Assert.Equal("running", _db.Scalar("SELECT status FROM jobs WHERE id = 'exec-2'"));
        var store = services.GetRequiredService<IStaleJobStore>();
        Assert.False(await store.TryFailJobAsync(new JobFailure("exec-1", JobStatus.Running, "again", SeedDatabase.Now)));
    }

    [Fact]
    public async Task A_hosts_own_table_is_mapped_by_options()
    {
        _db.Execute("CREATE TABLE system_jobs (job_id TEXT PRIMARY KEY, state TEXT, kind TEXT, created TEXT, began TEXT, ended TEXT, error TEXT)");
        _db.Execute("INSERT INTO system_jobs VALUES ('scan_1', 'success', 'library_scan', '2024-01-01 00:00:00', '2024-01-01 00:00:00', '2024-01-01 01:00:00', NULL)");
        _db.Execute("INSERT INTO system_jobs VALUES ('scan_2', 'in_progress', 'library_scan', '2024-01-19 00:00:00', '2024-01-19 00:00:00', NULL, NULL)");
        Directory.CreateDirectory(Path.Combine(_db.Results, "scan_1"));
        await File.WriteAllTextAsync(Path.Combine(_db.Results, "scan_1", "index.json"), "{}");
        void Map(SqliteJobStoreOptions o)
        {
            o.Jobs = new SqliteJobsTableOptions { Table = "system_jobs", Id = "job_id", Status = "state", JobType = "kind", CreatedAt = "created", StartedAt = "began", CompletedAt = "ended", ErrorMessage = "error" };
            o.StatusNames[JobStatus.Succeeded] = "success";
            o.StatusNames[JobStatus.Running] = "in_progress";
        }

        using var services = Services(Map);
        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);
        var reaped = await services.GetRequiredService<IStaleJobReaper>().ReapAtStartupAsync();

        Assert.Equal(1, report.Stats.CleanedIn(JobStatus.Succeeded));
        Assert.False(Directory.Exists(Path.Combine(_db.Results, "scan_1")));
        Assert.NotNull(_db.Scalar("SELECT data_cleaned_at FROM system_jobs WHERE job_id = 'scan_1'"));
        Assert.Equal("scan_2", Assert.Single(reaped.Reaped).JobId);
        Assert.Equal("failed", _db.Scalar("SELECT state FROM system_jobs WHERE job_id = 'scan_2'"));
    }

    [Fact]
    public async Task A_hosts_table_with_integer_ids_and_statuses_is_cleaned_and_marked_with_or_without_files_left()
    {
        _db.Execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, state INTEGER, created TEXT, began TEXT, ended TEXT, error_message TEXT)");
        _db.Execute("INSERT INTO runs VALUES (1, 2, '2024-01-01 00:00:00', '2024-01-01 00:00:00', '2024-01-01 01:00:00', NULL)"); // succeeded, its data long gone
        _db.Execute("INSERT INTO runs VALUES (2, 2, '2024-01-01 00:00:00', '2024-01-01 00:00:00', '2024-01-01 01:00:00', NULL)"); // succeeded, with results
        _db.Execute("INSERT INTO runs VALUES (3, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00', NULL, NULL)");            // running
        Directory.CreateDirectory(Path.Combine(_db.Results, "2"));
        await File.WriteAllBytesAsync(Path.Combine(_db.Results, "2", "out.bin"), new byte[2048]);
        using var services = Services(o =>
        {
            o.Jobs = new SqliteJobsTableOptions { Table = "runs", Status = "state", JobType = null, CreatedAt = "created", StartedAt = "began", CompletedAt = "ended" };
            o.StatusNames[JobStatus.Succeeded] = "2";
            o.StatusNames[JobStatus.Running] = "1";
        });

        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.Equal((CleanupOutcome.Completed, null), (report.Outcome, report.Error));
        Assert.Equal(2, report.Stats.CleanedIn(JobStatus.Succeeded));
        Assert.False(Directory.Exists(Path.Combine(_db.Results, "2")));
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM runs WHERE data_cleaned_at IS NOT NULL AND id IN (1, 2)"));
        Assert.Null(_db.Scalar("SELECT data_cleaned_at FROM runs WHERE id = 3"));
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM cleanup_audit WHERE action = 'deleted_data'"));
    }

    [Fact]
    public async Task A_locked_database_is_waited_on_then_reported_transient_and_nothing_is_half_written()
    {
        _db.AddJob("job-a", "failed", TimeSpan.FromDays(2));
        _db.AddJob("job-b", "failed", TimeSpan.FromDays(2));
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath, BusyTimeout = TimeSpan.FromSeconds(1) });
        await store.InitializeAsync();
        var batch = new[] { new JobDataCleaned("job-a", JobStatus.Failed, SeedDatabase.Now, 1, 1, null), new JobDataCleaned("job-b", JobStatus.Failed, SeedDatabase.Now, 1, 1, null) };

        using (var holder = new SqliteConnection(_db.ConnectionString))
        {
            holder.Open();
            using var writeLock = holder.BeginTransaction(deferred: false);
            var error = await Assert.ThrowsAsync<TransientRetentionException>(async () => await store.MarkDataCleanedAsync(batch));
            Assert.Contains("is locked by another process", error.Message, StringComparison.Ordinal);

            // Released while a second attempt is waiting: that attempt goes through. It waits up to a minute, so a loaded
            // machine that is slow to release the lock does not make it give up first.
            using var patient = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath, BusyTimeout = TimeSpan.FromMinutes(1) });
            var waiting = Task.Run(async () => await patient.MarkDataCleanedAsync(batch)); // Microsoft.Data.Sqlite waits synchronously
            await Task.Delay(300);
            Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM jobs WHERE data_cleaned_at IS NOT NULL"));
            writeLock.Rollback();
            await waiting;
        }

        Assert.Equal(2L, _db.Scalar("SELECT COUNT(*) FROM jobs WHERE data_cleaned_at IS NOT NULL"));
        Assert.Equal(2L, _db.Scalar("SELECT COUNT(*) FROM cleanup_audit"));
    }

    [Fact]
    public async Task Schema_migration_is_idempotent_and_adds_missing_columns()
    {
        _db.Execute("CREATE TABLE legacy (id TEXT PRIMARY KEY, status TEXT, job_type TEXT, created_at TEXT, started_at TEXT, completed_at TEXT, error_message TEXT)");
        var options = new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath, Jobs = new SqliteJobsTableOptions { Table = "legacy" } };

        for (var i = 0; i < 3; i++)
        {
            using var store = new SqliteJobStore(options);
            await store.InitializeAsync();
        }

        var columns = _db.Query("SELECT name FROM pragma_table_info('legacy')").Select(r => (string)r[0]!).ToArray();
        Assert.Contains("data_cleaned_at", columns);
        Assert.Contains("data_size_mb", columns);
        Assert.Equal("wal", _db.Scalar("PRAGMA journal_mode"));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_legacy_retention_uncleaned'"));
    }

    [Fact]
    public async Task A_missing_file_a_file_that_is_no_database_and_a_database_without_jobs_are_clear_errors()
    {
        var missing = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = Path.Combine(_db.Root, "nope.db"), CreateIfMissing = false });
        var notDb = Path.Combine(_db.Root, "notes.txt");
        await File.WriteAllTextAsync(notDb, new string('x', 4096));
        var text = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = notDb });
        var other = Path.Combine(_db.Root, "other.db");
        using (var c = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE things (x)";
            cmd.ExecuteNonQuery();
        }

        var empty = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = other });

        Assert.Contains("does not exist", (await Assert.ThrowsAsync<RetentionConfigurationException>(() => missing.InitializeAsync())).Message, StringComparison.Ordinal);
        Assert.Contains("is not a SQLite database", (await Assert.ThrowsAsync<RetentionConfigurationException>(() => text.InitializeAsync())).Message, StringComparison.Ordinal);
        Assert.Contains("has no 'jobs' table", (await Assert.ThrowsAsync<RetentionConfigurationException>(() => empty.InitializeAsync())).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_db.Root, "nope.db")));
    }

    [Fact]
    public async Task Integer_ids_are_streamed_and_cleaned()
    {
        _db.Execute("CREATE TABLE executions (id INTEGER PRIMARY KEY, status TEXT, created_at TEXT, started_at TEXT, completed_at TEXT, error_message TEXT)");
        _db.Execute("INSERT INTO executions VALUES (1, 'completed', '2024-01-01 00:00:00', '2024-01-01 00:00:00', '2024-01-01 00:05:00', NULL)");
        _db.Execute("INSERT INTO executions VALUES (2, 'running', '2024-01-19 00:00:00', '2024-01-19 00:00:00', NULL, NULL)");
        Directory.CreateDirectory(Path.Combine(_db.Results, "1"));
        Directory.CreateDirectory(Path.Combine(_db.Results, "2"));
        using var services = Services(o => o.Jobs = new SqliteJobsTableOptions { Table = "executions", JobType = null });

        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);
        var ids = await services.GetRequiredService<SqliteJobStore>().GetAllJobIdsAsync().ToListAsync();

        Assert.Equal(1, report.Stats.JobsCleaned);
        Assert.False(Directory.Exists(Path.Combine(_db.Results, "1")));
        Assert.True(Directory.Exists(Path.Combine(_db.Results, "2")));
        Assert.Equal(["1", "2"], ids);
    }

    [Fact]
    public async Task Marking_a_batch_records_and_audits_exactly_the_jobs_still_as_planned_with_integer_ids()
    {
        _db.Execute("CREATE TABLE executions (id INTEGER PRIMARY KEY, status TEXT, created_at TEXT, started_at TEXT, completed_at TEXT, error_message TEXT, data_size_mb REAL)");
        for (var i = 1; i <= 5; i++)
        {
            _db.Execute($"INSERT INTO executions VALUES ({i}, 'completed', '2024-01-01 00:00:00', '2024-01-01 00:00:00', '2024-01-01 00:05:00', NULL, 7)");
        }

        // An earlier version's index on data_cleaned_at, which no query used: dropped at start.
        _db.Execute("ALTER TABLE executions ADD COLUMN data_cleaned_at TEXT");
        _db.Execute("CREATE INDEX ix_executions_retention_cleaned ON executions (data_cleaned_at)");
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath, Jobs = new SqliteJobsTableOptions { Table = "executions", JobType = null } });
        await store.InitializeAsync();
        _db.Execute("UPDATE executions SET status = 'running' WHERE id = 4"); // re-queued since it was planned
        _db.Execute("UPDATE executions SET data_cleaned_at = '2024-01-10T00:00:00.000000Z' WHERE id = 5"); // cleaned meanwhile

        await store.MarkDataCleanedAsync(
        [
            new JobDataCleaned("1", JobStatus.Succeeded, SeedDatabase.Now, 3 * 1048576, 2, "outputs", "alice"),
            new JobDataCleaned("2", JobStatus.Succeeded, SeedDatabase.Now, 0, 0, "outputs"),
            new JobDataCleaned("3", JobStatus.Succeeded, SeedDatabase.Now.AddSeconds(1), 0, 0, "outputs", "alice"),
            new JobDataCleaned("4", JobStatus.Succeeded, SeedDatabase.Now, 0, 0, "outputs"),
            new JobDataCleaned("5", JobStatus.Succeeded, SeedDatabase.Now, 0, 0, "outputs"),
            new JobDataCleaned("404", JobStatus.Succeeded, SeedDatabase.Now, 0, 0, "outputs"),
        ]);

        var rows = _db.Query("SELECT id, data_cleaned_at, data_size_mb FROM executions ORDER BY id");
        Assert.Equal("2024-01-20T02:00:00.000000Z", rows[0][1]);
        Assert.Equal(3.0, rows[0][2]); // the size freed replaces the recorded one
        Assert.Equal("2024-01-20T02:00:00.000000Z", rows[1][1]);
        Assert.Equal(7.0, rows[1][2]); // nothing freed: the recorded size stays
        Assert.Equal("2024-01-20T02:00:01.000000Z", rows[2][1]);
        Assert.Null(rows[3][1]);
        Assert.Equal("2024-01-10T00:00:00.000000Z", rows[4][1]);
        // Within one batch's transaction the audit rows of jobs that freed nothing come first: the order is not the batch's.
        var audit = _db.Query("SELECT job_id, user, space_freed_mb FROM cleanup_audit ORDER BY job_id").Select(r => $"{r[0]} {r[1]} {r[2]}");
        Assert.Equal(["1 alice 3", "2 auto_cleanup 0", "3 alice 0"], audit);
        Assert.Null(_db.Scalar("SELECT name FROM sqlite_master WHERE name = 'ix_executions_retention_cleaned'"));
    }

    [Fact]
    public async Task Times_in_sqlites_own_format_compare_as_times()
    {
        _db.Execute("INSERT INTO jobs (id, status, created_at, started_at, completed_at) VALUES ('j', 'failed', '2024-01-19 01:00:00', '2024-01-19 01:00:00', '2024-01-19 13:30:00')");
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath });

        // Finished 12.5 hours before "now": past a 12-hour cutoff (as text, ' ' sorts before 'T' and would say otherwise).
        var found = await store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Failed], SeedDatabase.Now.AddHours(-12), 10)).ToListAsync();
        var notYet = await store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Failed], SeedDatabase.Now.AddHours(-13), 10)).ToListAsync();

        Assert.Single(found);
        Assert.Empty(notYet);
    }

    [Fact]
    public async Task Artifact_usage_sums_the_recorded_sizes_by_kind_of_jobs_not_yet_cleaned()
    {
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath });
        await store.UpsertAsync(new JobRecord("a", JobStatus.Succeeded) { CreatedAt = SeedDatabase.Now, Artifacts = [new(ArtifactKind.Input, "uploads/a_dem.tif", 100), new(ArtifactKind.Output, "results/a", 1000)] });
        await store.UpsertAsync(new JobRecord("b", JobStatus.Failed) { CreatedAt = SeedDatabase.Now, Artifacts = [new(ArtifactKind.Output, "results/b", 24), new(ArtifactKind.Log, "logs/b.txt", null)] });
        await store.UpsertAsync(new JobRecord("c", JobStatus.Failed) { CreatedAt = SeedDatabase.Now, DataCleanedAt = SeedDatabase.Now, Artifacts = [new(ArtifactKind.Output, "results/c", 5000)] });

        var usage = await store.GetArtifactUsageAsync();

        Assert.Equal(
            [new ArtifactUsage(ArtifactKind.Input, 1, 100), new ArtifactUsage(ArtifactKind.Log, 1, 0), new ArtifactUsage(ArtifactKind.Output, 2, 1024)],
            usage);
    }

    [Fact]
    public void Two_statuses_given_one_string_are_refused()
    {
        var options = new SqliteJobStoreOptions();
        options.StatusNames[JobStatus.Failed] = "completed";

        var error = Assert.Throws<RetentionConfigurationException>(() => new SqliteJobStore(options));

        Assert.Contains("JobCleanup:Sqlite:StatusNames: 'completed' is given to Succeeded and Failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_only_on_a_table_without_a_size_column_reports_zero_sizes()
    {
        _db.Execute("CREATE TABLE plain (id TEXT PRIMARY KEY, status TEXT, job_type TEXT, created_at TEXT, started_at TEXT, completed_at TEXT, error_message TEXT, data_cleaned_at TEXT)");
        _db.Execute("INSERT INTO plain (id, status, created_at) VALUES ('a', 'completed', '2024-01-01T00:00:00Z')");
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath, ReadOnly = true, Jobs = new SqliteJobsTableOptions { Table = "plain" } });

        var usage = Assert.Single(await store.GetUsageByStatusAsync());

        Assert.Equal(new StatusUsage("completed", 1, 0), usage);
    }

    [Fact]
    public void Unsafe_identifiers_are_refused()
    {
        var error = Assert.Throws<RetentionConfigurationException>(() => new SqliteJobStore(new SqliteJobStoreOptions { Jobs = new SqliteJobsTableOptions { Table = "jobs; DROP TABLE jobs" } }));

        Assert.Contains("JobCleanup:Sqlite:Jobs:Table", error.Message, StringComparison.Ordinal);
    }
}
