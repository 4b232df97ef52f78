namespace Retention.Cli.Tests;

/// <summary>
/// The old cleanup script's command lines, variables and config file, as its documentation gives them, fed to the tool:
/// each works, or is refused with exit 2 and a message that names what to use instead.
/// </summary>
public sealed class SeedCommandLineTests : IDisposable
{
    private readonly Installation _site = new();

    public SeedCommandLineTests()
    {
        _site.Job("job-20240111-000000", "completed", TimeSpan.FromDays(8.2), 15_000);
        _site.Job("job-20240118-000000", "completed", TimeSpan.FromDays(2), 15_000);
        _site.Job("job-20240119-000000", "failed", TimeSpan.FromDays(1), 15_000);
        _site.Job("job-20240119-200000", "running", TimeSpan.FromDays(3));
    }

    public void Dispose() => _site.Dispose();

    public static TheoryData<string, string[]> SeedCommandLines => new()
    {
        { "python scripts/cleanup_jobs.py", [] },
        { "cleanup_jobs.py --db-path ... --uploads-dir ... --results-dir ...", ["--db-path", "jobs.db", "--uploads-dir", "uploads", "--results-dir", "results"] },
        { "cleanup_jobs.py --dry-run --verbose", ["--dry-run", "--verbose"] },
        { "cleanup_jobs.py --verbose", ["--verbose"] },
        { "cleanup_jobs.py --parallel --workers 4", ["--parallel", "--workers", "4"] },
        { "cleanup_jobs.py --batch-size 50", ["--batch-size", "50"] },
        { "cleanup_jobs.py --verbose --debug", ["--verbose", "--debug"] },
        { "cleanup_jobs.py --success-retention 168 --failed-retention 12", ["--success-retention", "168", "--failed-retention", "12"] },
    };

    [Theory]
    [MemberData(nameof(SeedCommandLines))]
    public async Task Each_documented_command_line_runs(string seed, string[] args)
    {
        var (exit, output, error) = await _site.Run(["clean", .. args]);

        Assert.True(exit == 0, $"{seed}: exit {exit}: {error}");
        Assert.Equal(string.Empty, error);
        Assert.Contains(args.Contains("--dry-run") ? "Would clean 2 jobs" : "Cleanup completed successfully", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skip_large_is_refused_naming_what_bounds_a_run_instead()
    {
        var before = _site.Snapshot();

        var (exit, _, error) = await _site.Run("clean", "--skip-large", "--size-threshold", "10G");

        Assert.Equal(2, exit);
        Assert.Contains("--skip-large", error, StringComparison.Ordinal);
        Assert.Contains("JobCleanup__CircuitBreaker__MaxBytesPerRun", error, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task The_documented_variables_set_retention_batch_and_dry_run()
    {
        _site.Environment["EEMT_SUCCESS_RETENTION_HOURS"] = "24";
        _site.Environment["EEMT_FAILED_RETENTION_HOURS"] = "48";
        _site.Environment["EEMT_CLEANUP_BATCH_SIZE"] = "1";
        _site.Environment["EEMT_CLEANUP_DRY_RUN"] = "true";

        var (exit, output, _) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.Contains("Would clean job job-20240111-000000", output, StringComparison.Ordinal);
        Assert.Contains("Would clean job job-20240118-000000", output, StringComparison.Ordinal); // 2 days > 24 hours
        Assert.DoesNotContain("job-20240119-000000", output, StringComparison.Ordinal); // failed 1 day ago, kept 48 hours
        Assert.True(_site.Exists("results/job-20240111-000000"));
    }

    [Fact]
    public async Task Debug_log_level_prints_timed_store_and_file_operations_and_memory()
    {
        _site.Environment["EEMT_CLEANUP_LOG_LEVEL"] = "DEBUG";

        var (exit, output, _) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.Matches(@"\[DEBUG\] Store: read \d+ candidate job\(s\) in [\d.]+ ms", output);
        Assert.Matches(@"\[DEBUG\] File: delete .*job-20240111-000000: Deleted, 1 file\(s\), 14.6 KB in [\d.]+ ms", output);
        Assert.Matches(@"\[DEBUG\] Store: marked cleaned for 2 job\(s\) in [\d.]+ ms", output);
        Assert.Matches(@"\[DEBUG\] Memory: .* managed, .* working set", output);
    }

    [Fact]
    public async Task Warning_log_level_leaves_out_the_information_lines()
    {
        _site.Environment["EEMT_CLEANUP_LOG_LEVEL"] = "WARNING";

        var (exit, output, _) = await _site.Run("clean", "--verbose");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("[INFO]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[DEBUG]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documented_config_file_is_read_as_it_is()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Seeds", "cleanup_config.yaml"), Path.Combine(_site.Root, "cleanup_config.yaml"));

        var (exit, output, error) = await _site.Run("clean", "--config", "cleanup_config.yaml", "--dry-run");

        Assert.True(exit == 0, error);
        Assert.Contains("Would clean 2 jobs", output, StringComparison.Ordinal);
    }
}
