using System.Text.Json;

namespace Retention.Cli.Tests;

public sealed class CleanCommandTests : IDisposable
{
    private readonly Installation _site = new();

    public CleanCommandTests()
    {
        _site.Job("job-20240111-000000", "completed", TimeSpan.FromDays(8.2), 15_000);
        _site.Job("job-20240118-000000", "completed", TimeSpan.FromDays(2));
        _site.Job("job-20240119-010000", "failed", TimeSpan.FromHours(13));
        _site.Job("job-20240119-120000", "failed", TimeSpan.FromHours(3));
        _site.Job("job-20240119-200000", "running", TimeSpan.FromDays(3));
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Dry_run_prints_the_seed_preview_and_leaves_the_database_and_tree_byte_for_byte_unchanged()
    {
        var before = _site.Snapshot();

        var (exit, output, error) = await _site.Run("clean", "--dry-run");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains("[DRY RUN] Would clean job job-20240111-000000 (status: completed, age: 8.2 days)", output, StringComparison.Ordinal);
        Assert.Contains("[DRY RUN] Would delete: results/job-20240111-000000/ (14.6 KB)", output, StringComparison.Ordinal);
        Assert.Contains("[DRY RUN] Would delete: uploads/job-20240111-000000_dem.tif (250 B)", output, StringComparison.Ordinal);
        Assert.Contains("[DRY RUN] Summary: Would clean 2 jobs, freeing ~16.1 KB", output, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task Dry_run_after_a_real_run_switched_the_database_to_wal_still_leaves_no_trace()
    {
        await _site.Run("clean");
        _site.Job("job-20240101-000000", "failed", TimeSpan.FromDays(19));
        var before = _site.Snapshot();

        var (exit, output, _) = await _site.Run("clean", "--dry-run");
        var stats = await _site.Run("stats");
        var explain = await _site.Run("explain", "job-20240101-000000");

        Assert.Equal((0, 0, 0), (exit, stats.Exit, explain.Exit));
        Assert.Contains("[DRY RUN] Summary: Would clean 1 jobs", output, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task A_hosts_own_table_is_mapped_through_the_environment()
    {
        _site.Sql("CREATE TABLE system_jobs (job_id TEXT PRIMARY KEY, state TEXT, created TEXT, began TEXT, ended TEXT, error TEXT)");
        _site.Sql("INSERT INTO system_jobs VALUES ('scan_1', 'success', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z', NULL)");
        Directory.CreateDirectory(Path.Combine(_site.Root, "results", "scan_1"));
        foreach (var (key, value) in new[] { ("Table", "system_jobs"), ("Id", "job_id"), ("Status", "state"), ("JobType", string.Empty), ("CreatedAt", "created"), ("StartedAt", "began"), ("CompletedAt", "ended"), ("ErrorMessage", "error") })
        {
            _site.Environment["JobCleanup__Sqlite__Jobs__" + key] = value;
        }

        _site.Environment["JobCleanup__Sqlite__StatusNames__Succeeded"] = "success";

        var (exit, output, error) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains("Cleaned 1 successful jobs", output, StringComparison.Ordinal);
        Assert.False(_site.Exists("results/scan_1"));
    }

    [Fact]
    public async Task Real_run_deletes_what_is_due_keeps_the_rest_and_records_columns_audit_and_runs()
    {
        var (exit, output, _) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.Contains("Cleaned 1 successful jobs (freed 14.9 KB)", output, StringComparison.Ordinal);
        Assert.Contains("Cleaned 1 failed jobs (freed 1.2 KB)", output, StringComparison.Ordinal);
        Assert.Contains("Cleanup completed successfully", output, StringComparison.Ordinal);
        Assert.False(_site.Exists("results/job-20240111-000000"));
        Assert.False(_site.Exists("uploads/job-20240119-010000_dem.tif"));
        Assert.True(_site.Exists("results/job-20240118-000000"));
        Assert.True(_site.Exists("results/job-20240119-120000"));
        Assert.True(_site.Exists("results/job-20240119-200000"));
        Assert.Equal(2L, _site.Scalar("SELECT COUNT(*) FROM jobs WHERE data_cleaned_at IS NOT NULL"));
        Assert.Equal(2L, _site.Scalar("SELECT COUNT(*) FROM cleanup_audit WHERE action = 'deleted_data'"));
        Assert.Equal("completed", _site.Scalar("SELECT outcome FROM cleanup_runs"));
    }

    [Fact]
    public async Task Json_prints_the_rest_response_shape()
    {
        var (exit, output, _) = await _site.Run("clean", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("success").GetBoolean());
        Assert.Equal(1, root.GetProperty("cleaned_jobs").GetProperty("successful").GetInt32());
        Assert.Equal(1, root.GetProperty("cleaned_jobs").GetProperty("failed").GetInt32());
        Assert.Equal(16_500, root.GetProperty("space_freed").GetProperty("bytes").GetInt64());
        Assert.Equal("16.1 KB", root.GetProperty("space_freed").GetProperty("human_readable").GetString());
        var detail = root.GetProperty("details").EnumerateArray().First(d => d.GetProperty("job_id").GetString() == "job-20240111-000000");
        Assert.Equal("completed", detail.GetProperty("status").GetString());
        Assert.Equal(8.2, detail.GetProperty("age_days").GetDouble());
        Assert.Equal("14.9 KB", detail.GetProperty("space_freed").GetString());
    }

    [Fact]
    public async Task Retention_flags_seed_variables_and_the_config_file_are_applied_in_that_precedence()
    {
        await File.WriteAllTextAsync(Path.Combine(_site.Root, "cleanup_config.yaml"), """
            retention:
              successful_jobs:
                hours: 24
                keep_metadata: true
              failed_jobs:
                hours: 1
            notifications:
              email:
                enabled: false
            """);

        var fromFile = await _site.Run("clean", "--dry-run", "--json", "--config", "cleanup_config.yaml");
        _site.Environment["EEMT_SUCCESS_RETENTION_HOURS"] = "1000";
        var fromEnv = await _site.Run("clean", "--dry-run", "--json", "--config", "cleanup_config.yaml");
        var fromFlag = await _site.Run("clean", "--dry-run", "--json", "--config", "cleanup_config.yaml", "--success-retention", "1", "--failed-retention", "100");

        Assert.Equal((2, 2), Cleaned(fromFile.Out));
        Assert.Equal((0, 2), Cleaned(fromEnv.Out));
        Assert.Equal((2, 0), Cleaned(fromFlag.Out));

        static (int Successful, int Failed) Cleaned(string json)
        {
            using var doc = JsonDocument.Parse(json);
            var cleaned = doc.RootElement.GetProperty("cleaned_jobs");
            return (cleaned.GetProperty("successful").GetInt32(), cleaned.GetProperty("failed").GetInt32());
        }
    }

    [Fact]
    public async Task Seed_dry_run_variable_makes_every_run_a_dry_run()
    {
        _site.Environment["EEMT_CLEANUP_DRY_RUN"] = "true";

        var (exit, output, _) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.Contains("[DRY RUN] Summary", output, StringComparison.Ordinal);
        Assert.True(_site.Exists("results/job-20240111-000000"));
    }

    [Theory]
    [InlineData("--success-retention: must be a positive number of hours (was -5)", "clean", "--success-retention", "-5")]
    [InlineData("--failed-retention: must be a positive number of hours (was 0)", "clean", "--failed-retention", "0")]
    [InlineData("--batch-size: must be at least 1 (was 0)", "clean", "--batch-size", "0")]
    [InlineData("does not exist", "clean", "--db-path", "missing.db")]
    [InlineData("--uploads-dir: '", "clean", "--uploads-dir", "no-such-dir")]
    [InlineData("--config: '", "clean", "--config", "missing.yaml")]
    [InlineData("Unrecognized command or argument '--frobnicate'", "clean", "--frobnicate")]
    [InlineData("--success-retention: 'abc' is neither a number of hours (168) nor a duration (7d, 12h, 30m).", "clean", "--success-retention", "abc")]
    [InlineData("--failed-retention: '12x' is neither a number of hours (168) nor a duration (7d, 12h, 30m).", "clean", "--failed-retention", "12x")]
    [InlineData("is a folder; give the database file", "clean", "--db-path", "results")]
    public async Task Bad_flags_exit_2_with_one_line_naming_the_flag_and_change_nothing(string expected, params string[] args)
    {
        var before = _site.Snapshot();

        var (exit, output, error) = await _site.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Would clean", output, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Theory]
    [InlineData("EEMT_SUCCESS_RETENTION_HOURS", "abc", "EEMT_SUCCESS_RETENTION_HOURS: 'abc' is not a number of hours")]
    [InlineData("EEMT_FAILED_RETENTION_HOURS", "-1", "EEMT_FAILED_RETENTION_HOURS: must be a positive number of hours (was -1)")]
    [InlineData("EEMT_CLEANUP_BATCH_SIZE", "many", "EEMT_CLEANUP_BATCH_SIZE: 'many' is not a whole number")]
    [InlineData("EEMT_CLEANUP_DRY_RUN", "maybe", "EEMT_CLEANUP_DRY_RUN: 'maybe' is not true or false")]
    [InlineData("EEMT_CLEANUP_LOG_LEVEL", "LOUD", "EEMT_CLEANUP_LOG_LEVEL: 'LOUD' is not one of DEBUG, INFO, WARNING, ERROR")]
    [InlineData("JobCleanup__BatchSize", "-3", "JobCleanup__BatchSize: must be at least 1 (was -3)")]
    [InlineData("JobCleanup__SucceededRetention", "168", "JobCleanup__SucceededRetention: '168' has no unit; write 168h for hours or 168d for days (or set EEMT_SUCCESS_RETENTION_HOURS=168 for hours)")]
    public async Task Bad_variables_exit_2_naming_the_variable(string name, string value, string expected)
    {
        _site.Environment[name] = value;

        var (exit, _, error) = await _site.Run("clean");

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.True(_site.Exists("results/job-20240111-000000"));
    }

    [Theory]
    [InlineData("BEGIN EXCLUSIVE")]
    [InlineData("BEGIN IMMEDIATE")]
    public async Task A_database_locked_by_another_process_at_start_is_named_as_a_sqlite_lock_and_nothing_changes(string lockStatement)
    {
        // A database the tool has already switched to WAL, as a real installation's is after its first run.
        _site.Sql("PRAGMA journal_mode = WAL");
        await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_site.Db};Pooling=False");
        await other.OpenAsync();
        await using (var lockIt = other.CreateCommand())
        {
            lockIt.CommandText = lockStatement;
            await lockIt.ExecuteNonQueryAsync();
        }

        _site.Environment["JobCleanup__Sqlite__BusyTimeout"] = "00:00:00.200";
        var before = _site.Snapshot();

        var (exit, output, error) = await _site.Run("clean");

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: --db-path: the SQLite database '{_site.Db}' is locked by another process (SQLITE_BUSY); waited ", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed; run again when the other writer is done.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("PostgreSQL", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Cleaned", output, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task A_file_that_is_not_a_jobs_database_exit_2()
    {
        await File.WriteAllTextAsync(Path.Combine(_site.Root, "notes.db"), new string('x', 5000));
        var before = _site.Snapshot();

        var (exit, _, error) = await _site.Run("clean", "--db-path", "notes.db");

        Assert.Equal(2, exit);
        Assert.Contains("--db-path: '", error, StringComparison.Ordinal);
        Assert.Contains("is not a SQLite database", error, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task An_invalid_config_file_exit_2_naming_the_file()
    {
        await File.WriteAllTextAsync(Path.Combine(_site.Root, "bad.yaml"), "retention:\n  successful_jobs:\n    hours: [not, a, number\n");

        var (exit, _, error) = await _site.Run("clean", "--config", "bad.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("--config: '", error, StringComparison.Ordinal);
        Assert.Contains("is not a valid cleanup configuration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_deletion_exit_1_listing_it()
    {
        _site.Sql("CREATE TABLE job_artifacts (job_id TEXT NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL, size_bytes INTEGER, PRIMARY KEY (job_id, path))");
        _site.Sql("INSERT INTO job_artifacts VALUES ('job-20240111-000000', 'output', '/etc/passwd', NULL)");

        var (exit, _, error) = await _site.Run("clean");

        Assert.Equal(1, exit);
        Assert.Contains("Failed: job job-20240111-000000: /etc/passwd: '/etc/passwd' is outside the configured roots", error, StringComparison.Ordinal);
        Assert.True(File.Exists("/etc/passwd"));
        Assert.Equal(1L, _site.Scalar("SELECT COUNT(*) FROM jobs WHERE data_cleaned_at IS NOT NULL"));
    }

    [Fact]
    public async Task The_circuit_breaker_stops_a_run_at_its_limit_with_exit_code_1_and_the_next_run_goes_on()
    {
        _site.Job("job-20240101-000000", "completed", TimeSpan.FromDays(19)); // with the two the constructor seeds, three are due

        _site.Environment["JobCleanup__CircuitBreaker__MaxJobsPerRun"] = "2";
        var (exit, _, error) = await _site.Run("clean");
        var (next, _, _) = await _site.Run("clean");

        Assert.Equal(1, exit);
        Assert.Contains("Circuit breaker: this run reached JobCleanup:CircuitBreaker:MaxJobsPerRun (2 jobs)", error, StringComparison.Ordinal);
        Assert.Equal(0, next);
        Assert.Equal(3L, _site.Scalar("SELECT COUNT(*) FROM jobs WHERE data_cleaned_at IS NOT NULL"));
    }

    [Fact]
    public async Task The_mass_deletion_guard_stops_a_sudden_run_at_ten_times_the_usual_with_exit_code_1_and_confirm_mass_deletion_lets_it_go_on()
    {
        Assert.Equal(0, (await _site.Run("clean")).Exit); // the two due jobs the constructor seeds
        for (var day = 1; day <= 4; day++)
        {
            _site.Job($"job-usual-{day}", "completed", TimeSpan.FromDays(8));
            Assert.Equal(0, (await _site.Run("clean")).Exit);
        }

        for (var i = 0; i < 30; i++)
        {
            _site.Job($"job-sudden-{i:D2}", "completed", TimeSpan.FromDays(8));
        }

        var (exit, _, error) = await _site.Run("clean");
        var cleanedWhenStopped = _site.Scalar("SELECT COUNT(*) FROM jobs WHERE data_cleaned_at IS NOT NULL AND id LIKE 'job-sudden-%'");
        var (confirmed, _, _) = await _site.Run("clean", "--confirm-mass-deletion");

        Assert.Equal(1, exit);
        Assert.Contains("Mass-deletion guard: this run reached 20 jobs, 10x the median of the last 5 runs (1 jobs cleaned), and stopped", error, StringComparison.Ordinal);
        Assert.Equal(20L, cleanedWhenStopped);
        Assert.Equal(0, confirmed);
        Assert.Equal(30L, _site.Scalar("SELECT COUNT(*) FROM jobs WHERE data_cleaned_at IS NOT NULL AND id LIKE 'job-sudden-%'"));
    }
}
