namespace Retention.Cli.Tests;

/// <summary>The library's own records age out: a run trims audit rows and recorded runs past RecordRetention (90 days by default), in either audit time form, and a dry run trims nothing.</summary>
public sealed class RecordRetentionTests : IDisposable
{
    private readonly Installation _site = new();

    public void Dispose() => _site.Dispose();

    private long Count(string sql) => Convert.ToInt64(_site.Scalar(sql), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_run_trims_audit_rows_and_runs_older_than_90_days_in_either_time_form_and_keeps_the_rest()
    {
        Assert.Equal(0, (await _site.Run("clean")).Exit); // the store's own tables, as a first run makes them
        _site.Sql("DELETE FROM cleanup_runs");
        _site.Job("ok-9d", "completed", TimeSpan.FromDays(9));
        _site.Sql("INSERT INTO cleanup_audit (timestamp, job_id, action, space_freed_mb, user) VALUES ('2023-09-01 10:00:00', 'a', 'deleted_results', 1, 'cron')"); // classic form, 141 days old
        _site.Sql("INSERT INTO cleanup_audit (timestamp, job_id, action, space_freed_mb, user) VALUES ('2023-10-01T10:00:00.000000', 'b', 'deleted_data', 1, 'cron')"); // the store's form, 111 days old
        _site.Sql("INSERT INTO cleanup_audit (timestamp, job_id, action, space_freed_mb, user) VALUES ('2023-12-01 10:00:00', 'c', 'deleted_results', 1, 'cron')"); // 50 days old: kept
        _site.Sql("INSERT INTO cleanup_audit (timestamp, job_id, action, space_freed_mb, user) VALUES ('2022-01-01 10:00:00', 'd', 'hold_added', 0, 'alice')"); // a hold's row: kept however old
        _site.Sql("INSERT INTO cleanup_runs (run_id, trigger, started_at, finished_at, dry_run, outcome, jobs_scanned, jobs_cleaned, jobs_failed, bytes_freed) VALUES ('old-run', 'cli', '2023-09-01T10:00:00.000000', '2023-09-01T10:01:00.000000', 0, 'completed', 1, 0, 0, 0)"); // cleaned nothing: not one the guard reads
        _site.Sql("INSERT INTO cleanup_runs (run_id, trigger, started_at, finished_at, dry_run, outcome, jobs_scanned, jobs_cleaned, jobs_failed, bytes_freed) VALUES ('old-cleaning-run', 'cli', '2023-08-01T10:00:00.000000', '2023-08-01T10:01:00.000000', 0, 'completed', 5, 5, 0, 5)"); // one of the last ten that cleaned: kept
        _site.Sql("INSERT INTO cleanup_runs (run_id, trigger, started_at, finished_at, dry_run, outcome, jobs_scanned, jobs_cleaned, jobs_failed, bytes_freed) VALUES ('ancient-run', 'cli', '2023-07-01T10:00:00.000000', '2023-07-01T10:01:00.000000', 0, 'completed', 1, 0, 0, 0)"); // older than every kept run: trimmed
        _site.Sql("INSERT INTO cleanup_runs (run_id, trigger, started_at, finished_at, dry_run, outcome, jobs_scanned, jobs_cleaned, jobs_failed, bytes_freed) VALUES ('recent-run', 'cli', '2024-01-10T10:00:00.000000', '2024-01-10T10:01:00.000000', 0, 'completed', 1, 1, 0, 1)");

        var preview = await _site.Run("clean", "--dry-run");
        Assert.Equal(4, Count("SELECT COUNT(*) FROM cleanup_audit"));

        var (exit, output, error) = await _site.Run("clean", "--verbose");

        Assert.True(exit == 0, error);
        Assert.Equal(0, preview.Exit);
        Assert.Contains("Trimmed the library's own records older than 90 days: 2 audit row(s), 1 recorded run(s)", output, StringComparison.Ordinal);
        Assert.Equal("c", _site.Scalar("SELECT job_id FROM cleanup_audit WHERE job_id IN ('a', 'b', 'c')"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM cleanup_audit WHERE job_id = 'd'"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM cleanup_audit WHERE job_id = 'ok-9d'"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM cleanup_runs WHERE run_id = 'old-cleaning-run'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM cleanup_runs WHERE run_id = 'ancient-run'"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM cleanup_runs WHERE run_id = 'old-run'")); // newer than a kept run: kept too
        Assert.Equal(1, Count("SELECT COUNT(*) FROM cleanup_runs WHERE run_id = 'recent-run'"));
    }

    [Fact]
    public async Task Zero_keeps_the_records_forever_and_less_than_a_day_is_refused()
    {
        Assert.Equal(0, (await _site.Run("clean")).Exit);
        _site.Sql("INSERT INTO cleanup_audit (timestamp, job_id, action, space_freed_mb, user) VALUES ('2020-01-01 00:00:00', 'a', 'deleted_results', 1, 'cron')");
        _site.Environment["JobCleanup__RecordRetention"] = "0s";
        Assert.Equal(0, (await _site.Run("clean")).Exit);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM cleanup_audit WHERE job_id = 'a'"));

        _site.Environment["JobCleanup__RecordRetention"] = "12h";
        var (exit, _, error) = await _site.Run("clean");
        Assert.Equal(2, exit);
        Assert.Contains("JobCleanup:RecordRetention: must be at least 1 day, or 0 to keep the records forever", error, StringComparison.Ordinal);
    }
}
