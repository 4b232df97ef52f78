namespace Retention.Cli.Tests;

public sealed class OtherCommandTests : IDisposable
{
    private readonly Installation _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Reap_fails_stuck_jobs_past_timeout_plus_buffer()
    {
        _site.Job("exec-123", "running", TimeSpan.FromMinutes(7) + TimeSpan.FromSeconds(42));
        _site.Job("exec-124", "running", TimeSpan.FromMinutes(2));

        var (exit, output, _) = await _site.Run("reap", "--timeout", "300", "--buffer", "60");

        Assert.Equal(0, exit);
        Assert.Contains("[Cleanup] Found 1 stuck execution(s)", output, StringComparison.Ordinal);
        Assert.Contains("[Cleanup] Marking execution exec-123 as failed (runtime: 0:07:42)", output, StringComparison.Ordinal);
        Assert.Contains("Successfully cleaned up 1 stuck execution(s).", output, StringComparison.Ordinal);
        Assert.Equal("failed", _site.Scalar("SELECT status FROM jobs WHERE id = 'exec-123'"));
        Assert.Equal("Execution stuck for 0:07:42. Automatically terminated by cleanup job.", _site.Scalar("SELECT error_message FROM jobs WHERE id = 'exec-123'"));
        Assert.Equal("running", _site.Scalar("SELECT status FROM jobs WHERE id = 'exec-124'"));
    }

    [Fact]
    public async Task Reap_statuses_from_the_environment_leave_pending_jobs_alone()
    {
        _site.Job("queued", "pending", TimeSpan.FromHours(2));
        _site.Job("stuck", "running", TimeSpan.FromHours(2));
        _site.Environment["JobCleanup__StaleJobs__Statuses__0"] = "Running";

        var (exit, _, _) = await _site.Run("reap", "--timeout", "1h");

        Assert.Equal(0, exit);
        Assert.Equal("pending", _site.Scalar("SELECT status FROM jobs WHERE id = 'queued'"));
        Assert.Equal("failed", _site.Scalar("SELECT status FROM jobs WHERE id = 'stuck'"));
    }

    [Fact]
    public async Task Reap_startup_resets_every_running_job()
    {
        _site.Job("scan_library_123abc", "running", TimeSpan.FromSeconds(30));

        var (exit, output, _) = await _site.Run("reap", "--startup");

        Assert.Equal(0, exit);
        Assert.Contains("STARTUP: Cleaning up stale jobs from previous session...", output, StringComparison.Ordinal);
        Assert.Contains("  - Clearing job: scan_library_123abc (eemt)", output, StringComparison.Ordinal);
        Assert.StartsWith("Job reset during startup (was running for 0:00:30)", (string)_site.Scalar("SELECT error_message FROM jobs")!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout", "soon", "--timeout: 'soon' is not a duration")]
    [InlineData("--timeout", "0", "--timeout: must be positive (was 0)")]
    [InlineData("--buffer", "-5", "--buffer: must be zero or more (was -5)")]
    public async Task Reap_bad_durations_exit_2(string flag, string value, string expected)
    {
        _site.Job("exec-1", "running", TimeSpan.FromDays(3));

        var (exit, _, error) = await _site.Run("reap", flag, value);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal("running", _site.Scalar("SELECT status FROM jobs"));
    }

    [Fact]
    public async Task Stats_shows_usage_by_status_cleaned_in_the_last_day_and_the_last_runs()
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(9));
        _site.Job("job-b", "completed", TimeSpan.FromDays(1));
        _site.Job("job-c", "running", TimeSpan.FromDays(1));
        await _site.Run("clean");

        var (exit, output, _) = await _site.Run("stats");

        Assert.Equal(0, exit);
        Assert.Contains("Cleanup Metrics (Last 24h):", output, StringComparison.Ordinal);
        Assert.Contains("  Jobs cleaned: 1", output, StringComparison.Ordinal);
        Assert.Contains("  completed: 1 job,", output, StringComparison.Ordinal);
        Assert.Contains("  running: 1 job,", output, StringComparison.Ordinal);
        Assert.Contains("2024-01-20 02:00:00 UTC  completed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_shows_the_data_past_due_still_on_disk_and_what_becomes_due_within_a_day()
    {
        _site.Job("job-late", "completed", TimeSpan.FromDays(9));
        _site.Job("job-soon", "completed", TimeSpan.FromDays(6.5));
        _site.Job("job-fresh", "completed", TimeSpan.FromDays(1));

        var (exit, output, _) = await _site.Run("stats");
        var (_, json, _) = await _site.Run("stats", "--json");

        Assert.Equal(0, exit);
        Assert.Contains("Past due, still on disk: 1 job, 0 B, the oldest due since 2024-01-18 02:00 UTC", output, StringComparison.Ordinal);
        Assert.Contains("  job-late (succeeded, 0 B), due since 2024-01-18 02:00 UTC", output, StringComparison.Ordinal);
        Assert.Contains("Due within 24 hours: 1 job, 0 B", output, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(("job-late", 1L, 1L), (root.GetProperty("overdue").GetProperty("oldest")[0].GetProperty("job_id").GetString(), root.GetProperty("overdue").GetProperty("jobs").GetInt64(), root.GetProperty("due_within").GetProperty("jobs").GetInt64()));
        Assert.True(_site.Exists("results/job-late"));
    }

    [Fact]
    public async Task Explain_says_why_each_artifact_is_kept_or_due_and_when()
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(2));

        var (exit, output, _) = await _site.Run("explain", "job-a");

        Assert.Equal(0, exit);
        Assert.Contains("job-a (completed, eemt), finished 2 days ago", output, StringComparison.Ordinal);
        Assert.Contains("KEEP input   uploads/job-a_dem.tif: succeeded 2 days ago; inputs kept 7 days (due in 5 days)", output, StringComparison.Ordinal);
        Assert.Contains("KEEP output  results/job-a/: succeeded 2 days ago; outputs kept 7 days (due in 5 days)", output, StringComparison.Ordinal);
        Assert.Contains("Next due: 2024-01-25 02:00 UTC", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_an_unknown_job_exit_2()
    {
        var (exit, _, error) = await _site.Run("explain", "nope");

        Assert.Equal(2, exit);
        Assert.Contains("JOB_ID: there is no job 'nope'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_creates_an_installation_and_previews_it()
    {
        var (exit, output, _) = await _site.Run("demo", "--dir", "demo", "--jobs", "18");

        Assert.Equal(0, exit);
        Assert.Contains("jobs.db with 18 jobs", output, StringComparison.Ordinal);
        Assert.Contains("[DRY RUN] Would clean job job-", output, StringComparison.Ordinal);
        Assert.Contains("[DRY RUN] Summary: Would clean", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_site.Root, "demo", "jobs.db")));
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(_site.Root, "demo", "results")));
    }
}

public sealed class OrphansCommandTests : IDisposable
{
    private readonly Installation _site = new();

    public OrphansCommandTests()
    {
        _site.Job("job-1", "completed", TimeSpan.FromDays(1));
        _site.Job("job_2", "running", TimeSpan.FromDays(1));
        Old("uploads/job-1_extra_input.tif", 10);   // job-1's by convention
        Old("uploads/job_2_dem_v2.tif", 10);        // job_2's, although "job" could be a prefix
        Old("uploads/deleted-job_dem.tif", 300);    // no such job
        Old("results/ghost/out.tif", 700);          // no such job
        Young("results/fresh/out.tif", 50);         // too young to be an orphan
        File.CreateSymbolicLink(Path.Combine(_site.Root, "results", "link"), "/etc");
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Lists_only_unreferenced_old_paths_with_sizes_and_deletes_nothing()
    {
        var (exit, output, _) = await _site.Run("orphans");

        Assert.Equal(0, exit);
        Assert.Contains("Orphaned: uploads/deleted-job_dem.tif (300 B, ", output, StringComparison.Ordinal);
        Assert.Contains("Orphaned: results/ghost/ (700 B, ", output, StringComparison.Ordinal);
        Assert.Contains("Found 2 orphaned path(s), 1000 B; 1 unreferenced path(s) younger than 1 day left alone", output, StringComparison.Ordinal);
        Assert.DoesNotContain("job-1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("job_2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("link", output, StringComparison.Ordinal);
        Assert.True(_site.Exists("results/ghost/out.tif"));
    }

    [Fact]
    public async Task Delete_removes_them_and_leaves_everything_else()
    {
        var (exit, output, _) = await _site.Run("orphans", "--delete");

        Assert.Equal(0, exit);
        Assert.Contains("Deleted 2 orphaned path(s), 1000 B", output, StringComparison.Ordinal);
        Assert.False(_site.Exists("uploads/deleted-job_dem.tif"));
        Assert.False(_site.Exists("results/ghost"));
        Assert.True(_site.Exists("results/fresh/out.tif"));
        Assert.True(_site.Exists("uploads/job-1_extra_input.tif"));
        Assert.True(_site.Exists("uploads/job_2_dem_v2.tif"));
        Assert.True(Directory.Exists("/etc"));
    }

    [Fact]
    public async Task A_bad_minimum_age_exit_2()
    {
        var (exit, _, error) = await _site.Run("orphans", "--min-age", "0h", "--delete");

        Assert.Equal(2, exit);
        Assert.Contains("--min-age: '0h' is not a positive age", error, StringComparison.Ordinal);
        Assert.True(_site.Exists("results/ghost/out.tif"));
    }

    private void Old(string relative, int bytes) => Write(relative, bytes, Installation.Now.AddDays(-20));

    private void Young(string relative, int bytes) => Write(relative, bytes, Installation.Now.AddHours(-2));

    private void Write(string relative, int bytes, DateTimeOffset time)
    {
        var path = Path.Combine(_site.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, time.UtcDateTime);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(path)!, time.UtcDateTime);
    }
}
