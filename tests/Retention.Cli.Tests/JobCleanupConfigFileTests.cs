namespace Retention.Cli.Tests;

/// <summary>
/// <c>--config</c> with a host's shape: the <c>JobCleanup</c> section of an <c>appsettings.json</c> (or the same in
/// YAML), checked as a host checks it, under the <c>JobCleanup__*</c> variables and the flags.
/// </summary>
public sealed class JobCleanupConfigFileTests : IDisposable
{
    private readonly Installation _site = new();

    public JobCleanupConfigFileTests()
    {
        _site.Job("job-20240111-000000", "completed", TimeSpan.FromDays(8.2), 15_000);
        _site.Job("job-20240117-000000", "completed", TimeSpan.FromDays(3), 15_000);
        _site.Job("job-20240119-200000", "running", TimeSpan.FromDays(3));
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task An_appsettings_file_sets_the_library_and_leaves_the_hosts_own_sections_alone()
    {
        await Write("appsettings.json", """
            {
              "Logging": { "LogLevel": { "Default": "Warning" } },
              "ConnectionStrings": { "Jobs": "Data Source=elsewhere.db" },
              "JobCleanup": { "SucceededRetention": "2d", "Quarantine": { "Enabled": true } }
            }
            """);

        var (exit, _, error) = await _site.Run("clean", "--config", "appsettings.json");

        Assert.True(exit == 0, error);
        Assert.False(_site.Exists("results/job-20240117-000000")); // 3 days > 2 days
        Assert.True(Directory.Exists(Path.Combine(_site.Root, "results", ".retention-quarantine"))); // moved aside, not deleted
    }

    [Fact]
    public async Task A_yaml_file_of_the_same_shape_works_and_variables_win_over_it()
    {
        await Write("retention.yaml", """
            JobCleanup:
              SucceededRetention: 2d
              DryRun: true
            """);
        _site.Environment["JobCleanup__SucceededRetention"] = "5d";

        var (exit, output, error) = await _site.Run("clean", "--config", "retention.yaml");

        Assert.True(exit == 0, error);
        Assert.Contains("Would clean 1 jobs", output, StringComparison.Ordinal); // 5 days: the 8-day-old job only
        Assert.True(_site.Exists("results/job-20240111-000000")); // DryRun from the file
    }

    [Fact]
    public async Task Flags_win_over_the_file()
    {
        await Write("retention.yaml", "JobCleanup:\n  SucceededRetention: 2d\n");

        var (exit, output, _) = await _site.Run("clean", "--config", "retention.yaml", "--success-retention", "240", "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("Would clean 0 jobs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_mistake_in_the_file_is_named_with_the_file_and_key_and_nothing_changes()
    {
        await Write("appsettings.json", """{ "JobCleanup": { "SuceededRetention": "7d", "FailedRetention": "12", "Quarantine": { "Enabeld": true } } }""");
        var before = _site.Snapshot();

        var (exit, _, error) = await _site.Run("clean", "--config", "appsettings.json");

        Assert.Equal(2, exit);
        Assert.Contains("appsettings.json: JobCleanup:SuceededRetention: unknown key; did you mean 'SucceededRetention'?", error, StringComparison.Ordinal);
        Assert.Contains("appsettings.json: JobCleanup:FailedRetention: '12' has no unit", error, StringComparison.Ordinal);
        Assert.Contains("appsettings.json: JobCleanup:Quarantine:Enabeld: unknown key; did you mean 'Enabled'?", error, StringComparison.Ordinal);
        Installation.AssertSame(before, _site.Snapshot());
    }

    [Fact]
    public async Task A_file_mixing_both_shapes_is_refused()
    {
        await Write("mixed.yaml", "retention:\n  successful_jobs:\n    hours: 3\nJobCleanup:\n  DryRun: true\n");

        var (exit, _, error) = await _site.Run("clean", "--config", "mixed.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("'retention' and 'JobCleanup' are two shapes of configuration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Library_settings_at_the_top_of_a_file_point_to_the_JobCleanup_section()
    {
        await Write("flat.yaml", "SucceededRetention: 3d\n");

        var (exit, _, error) = await _site.Run("clean", "--config", "flat.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("SucceededRetention: unknown key", error, StringComparison.Ordinal);
        Assert.Contains("under JobCleanup", error, StringComparison.Ordinal);
    }

    private Task Write(string name, string text) => File.WriteAllTextAsync(Path.Combine(_site.Root, name), text);
}
