namespace Retention.Cli.Tests;

/// <summary>The tool reads every <c>JobCleanup__*</c> setting a host reads, and refuses the ones that name nothing.</summary>
public sealed class LibrarySettingsTests : IDisposable
{
    private readonly Installation _site = new();

    public LibrarySettingsTests()
    {
        _site.Job("job-20240111-000000", "completed", TimeSpan.FromDays(8.2), 15_000);
        _site.Job("job-20240119-200000", "running", TimeSpan.FromDays(3));
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Quarantine_set_by_variable_moves_due_data_aside_instead_of_deleting_it()
    {
        _site.Environment["JobCleanup__Quarantine__Enabled"] = "true";
        _site.Environment["JobCleanup__Quarantine__GracePeriod"] = "3d";

        var (exit, _, error) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.False(_site.Exists("results/job-20240111-000000"));
        var stamp = Assert.Single(Directory.GetDirectories(Path.Combine(_site.Root, "results", ".retention-quarantine", "job-20240111-000000")));
        Assert.True(File.Exists(Path.Combine(stamp, "job-20240111-000000", "out.tif")));
    }

    [Fact]
    public async Task An_extra_root_with_its_convention_is_cleaned_as_a_host_cleans_it()
    {
        Directory.CreateDirectory(Path.Combine(_site.Root, "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(_site.Root, "screenshots", "job-20240111-000000.png"), new byte[40]);
        await File.WriteAllBytesAsync(Path.Combine(_site.Root, "screenshots", "job-20240119-200000.png"), new byte[40]);
        _site.Environment["JobCleanup__Roots__screenshots"] = Path.Combine(_site.Root, "screenshots");
        _site.Environment["JobCleanup__Conventions__0__Root"] = "screenshots";
        _site.Environment["JobCleanup__Conventions__0__Pattern"] = "{jobId}.png";
        _site.Environment["JobCleanup__Conventions__0__Kind"] = "output";

        var (exit, _, error) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.False(_site.Exists("screenshots/job-20240111-000000.png"));
        Assert.True(_site.Exists("screenshots/job-20240119-200000.png")); // a running job's
    }

    [Fact]
    public async Task A_misspelt_or_bad_variable_exits_2_naming_each_and_changes_nothing()
    {
        _site.Environment["JobCleanup__SuceededRetention"] = "7d";
        _site.Environment["JobCleanup__Quarantine__Enabled"] = "maybe";
        _site.Environment["JobCleanup__StaleJobs__ExecutionTimeout"] = "48";
        var before = _site.Snapshot();

        var (exit, _, error) = await _site.Run("clean");

        Assert.Equal(2, exit);
        Assert.Contains("JobCleanup__SuceededRetention: unknown key; did you mean 'SucceededRetention'?", error, StringComparison.Ordinal);
        Assert.Contains("JobCleanup__Quarantine__Enabled: 'maybe' is not true or false", error, StringComparison.Ordinal);
        Assert.Contains("JobCleanup__StaleJobs__ExecutionTimeout: '48' has no unit; write 48h for hours or 48d for days", error, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task A_misspelt_store_setting_or_status_is_named_with_the_others_and_changes_nothing()
    {
        _site.Job("job-a", "completed", TimeSpan.FromDays(30));
        _site.Environment["JobCleanup__Sqlite__StatusNames__Succeded"] = "done";
        _site.Environment["JobCleanup__Sqlite__Jobs__Tabel"] = "system_jobs";
        _site.Environment["JobCleanup__SuceededRetention"] = "7d";
        var before = _site.Snapshot();

        var (exit, _, error) = await _site.Run("clean");

        Assert.Equal(2, exit);
        Assert.Contains("JobCleanup__Sqlite__StatusNames__Succeded: 'Succeded' is not one of Pending, Scheduled, Running, Succeeded, Failed, Cancelled; did you mean 'Succeeded'?", error, StringComparison.Ordinal);
        Assert.Contains("JobCleanup__Sqlite__Jobs__Tabel: unknown key; did you mean 'Table'?", error, StringComparison.Ordinal);
        Assert.Contains("JobCleanup__SuceededRetention: unknown key", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to convert", error, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task A_flag_variable_written_1_is_true_and_a_blank_variable_is_unset()
    {
        _site.Environment["JobCleanup__DryRun"] = "1";
        _site.Environment["JobCleanup__CircuitBreaker__MaxJobsPerRun"] = "";
        var before = _site.Snapshot();

        var (exit, output, error) = await _site.Run("clean");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains("[DRY RUN]", output, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task Retention_in_the_library_syntax_works_for_the_two_shortcuts()
    {
        _site.Environment["JobCleanup__SucceededRetention"] = "10d";

        var (exit, output, _) = await _site.Run("clean", "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("Summary: Would clean 0 jobs", output, StringComparison.Ordinal); // 8.2 days is within 10d
    }

    [Theory]
    [InlineData("8d", 1)]
    [InlineData("9d", 0)]
    [InlineData("192", 1)]   // hours, as the old script's flag
    [InlineData("200h", 0)]
    public async Task The_retention_flags_take_hours_or_a_duration(string value, int cleaned)
    {
        var (exit, output, _) = await _site.Run("clean", "--dry-run", "--success-retention", value);

        Assert.Equal(0, exit);
        Assert.Contains($"Summary: Would clean {cleaned} jobs", output, StringComparison.Ordinal); // the job finished 8.2 days ago
    }
}
