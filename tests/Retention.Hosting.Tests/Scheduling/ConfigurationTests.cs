using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Hosting.Tests.Support;
using Retention.Stores.InMemory;

namespace Retention.Hosting.Tests.Scheduling;

/// <summary>Configuration as a host gives it (appsettings, variables): every mistake is reported at start, none ignored.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly InMemoryJobStore _store = new();

    public void Dispose() => _tree.Dispose();

    private IHost Build(Dictionary<string, string?> settings, ListLoggerProvider? logs = null, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        settings["JobCleanup:Roots:uploads"] = _tree.Dir("uploads");
        settings["JobCleanup:Roots:results"] = _tree.Dir("results");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddJobCleanup(builder.Configuration.GetSection("JobCleanup")).UseInMemoryStore(_store).AddBackgroundCleanup();
        return builder.Build();
    }

    private static string Messages(Exception error) =>
        error is AggregateException all ? string.Join("\n", all.InnerExceptions.Select(e => e.Message)) : error.Message;

    [Fact]
    public async Task Misspelt_keys_and_bad_values_in_every_group_are_reported_together_and_nothing_runs()
    {
        var old = JobLayout.Job(_tree, "old", JobStatus.Failed, TimeSpan.FromDays(3), DateTimeOffset.UtcNow, 10, 10);
        _store.Upsert(old);
        using var host = Build(new()
        {
            ["JobCleanup:SuceededRetention"] = "7d",
            ["JobCleanup:FailedRetention"] = "168",
            ["JobCleanup:BatchSize"] = "lots",
            ["JobCleanup:Rules:0:Statuses:0"] = "Failed",
            ["JobCleanup:Rules:0:Retention"] = "12h",
            ["JobCleanup:Rules:0:Action"] = "Purge",
            ["JobCleanup:Background:Enabeld"] = "true",
            ["JobCleanup:Background:RunOnStart"] = "true",
            ["JobCleanup:Background:StartDelay"] = "2 minutes",
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var messages = Messages(error);
        Assert.Contains("JobCleanup:SuceededRetention: unknown key; did you mean 'SucceededRetention'?", messages, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:FailedRetention: '168' has no unit; write 168h for hours or 168d for days", messages, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:BatchSize: 'lots' is not a whole number", messages, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Rules:0:Action: 'Purge' is not one of DeleteArtifacts, PurgeRecord", messages, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:Enabeld: unknown key; did you mean 'Enabled'?", messages, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:StartDelay: '2 minutes' is not a duration", messages, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_tree.Root, "results", "old", "out.tif")));
        Assert.Null(_store.Find("old")!.DataCleanedAt);
    }

    [Fact]
    public void Durations_are_written_one_way_everywhere_a_unit_or_a_time_span()
    {
        using var host = Build(new()
        {
            ["JobCleanup:SucceededRetention"] = "7d",
            ["JobCleanup:FailedRetention"] = "00:30:00",
            ["JobCleanup:StaleJobs:ExecutionTimeout"] = "2h",
            ["JobCleanup:Quarantine:GracePeriod"] = "90m",
            ["JobCleanup:Background:StartDelay"] = "45s",
        });

        var options = host.Services.GetRequiredService<IOptions<JobCleanupOptions>>().Value;
        var background = host.Services.GetRequiredService<IOptions<BackgroundCleanupOptions>>().Value;

        Assert.Equal(TimeSpan.FromDays(7), options.SucceededRetention);
        Assert.Equal(TimeSpan.FromMinutes(30), options.FailedRetention);
        Assert.Equal(TimeSpan.FromHours(2), options.StaleJobs.ExecutionTimeout);
        Assert.Equal(TimeSpan.FromMinutes(90), options.Quarantine.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(45), background.StartDelay);
    }

    [Fact]
    public async Task Background_cleanup_alone_schedules_the_default_daily_run_and_says_when()
    {
        var logs = new ListLoggerProvider();
        var time = new TestClock(HostHarness.Start);
        using var host = Build([], logs, time);
        await host.StartAsync();

        var status = host.Services.GetRequiredService<ICleanupStatus>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (status.GetSnapshot().NextRunAt is null)
        {
            await Task.Delay(10, timeout.Token); // the schedule's loop sets it as it starts waiting, after StartAsync returns
        }

        Assert.Equal(HostHarness.Start.AddHours(1), status.GetSnapshot().NextRunAt);
        Assert.Contains(logs.Messages, m => m.StartsWith("Scheduled cleanup enabled: 02:00; next run at 2024-03-09 02:00:00Z", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_schedule_turned_off_is_said_at_start_with_the_key_that_turned_it_off()
    {
        await using var h = new HostHarness();
        var host = h.Build(); // the harness turns the schedule off in code
        await host.StartAsync();

        await h.Logs.WaitForAsync("Scheduled cleanup is off"); // the schedule's loop logs it as it starts, after StartAsync returns
        var warning = Assert.Single(h.Logs.Entries, e => e.Event.Name == "ScheduleOff");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("(BackgroundCleanupOptions.Enabled=false, set in code)", warning.Message, StringComparison.Ordinal);
        Assert.Null(host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
    }

    [Fact]
    public async Task a_schedule_turned_off_by_its_key_names_that_key()
    {
        var logs = new ListLoggerProvider();
        using var host = Build(new() { ["JobCleanup:Background:Enabled"] = "false" }, logs, new TestClock(HostHarness.Start));
        await host.StartAsync();

        await logs.WaitForAsync("Scheduled cleanup is off");
        Assert.Contains(logs.Messages, m => m.StartsWith("Scheduled cleanup is off (JobCleanup:Background:Enabled=false):", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task the_old_variables_turn_the_schedule_on_and_set_it_when_the_librarys_keys_are_not_set()
    {
        var logs = new ListLoggerProvider();
        using var host = Build(new()
        {
            ["EEMT_ENABLE_AUTO_CLEANUP"] = "true",
            ["EEMT_CLEANUP_SCHEDULE"] = "\"0 5 * * *\"", // quoted, as a compose file's list form passes it
        }, logs, new TestClock(HostHarness.Start));
        await host.StartAsync();

        await logs.WaitForAsync("Scheduled cleanup enabled");
        var options = host.Services.GetRequiredService<IOptions<BackgroundCleanupOptions>>().Value;
        Assert.Equal("0 5 * * *", options.Schedule);
        Assert.Contains(logs.Messages, m => m == "Scheduled cleanup enabled: 0 5 * * *; next run at 2024-03-09 05:00:00Z (schedule from EEMT_CLEANUP_SCHEDULE, enabled by EEMT_ENABLE_AUTO_CLEANUP=true)");
        await host.StopAsync();
    }

    [Fact]
    public async Task the_old_auto_cleanup_variable_turns_the_schedule_off_and_the_warning_names_it()
    {
        var logs = new ListLoggerProvider();
        using var host = Build(new() { ["EEMT_ENABLE_AUTO_CLEANUP"] = "false" }, logs, new TestClock(HostHarness.Start));
        await host.StartAsync();

        await logs.WaitForAsync("Scheduled cleanup is off");
        var warning = Assert.Single(logs.Entries, e => e.Event.Name == "ScheduleOff");
        Assert.StartsWith("Scheduled cleanup is off (EEMT_ENABLE_AUTO_CLEANUP=false):", warning.Message, StringComparison.Ordinal);
        Assert.Null(host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
        await host.StopAsync();
    }

    [Fact]
    public async Task the_librarys_keys_win_over_the_old_variables_and_the_unused_ones_are_said()
    {
        var logs = new ListLoggerProvider();
        using var host = Build(new()
        {
            ["JobCleanup:Background:Enabled"] = "true",
            ["JobCleanup:Background:Schedule"] = "03:00",
            ["EEMT_ENABLE_AUTO_CLEANUP"] = "false",
            ["EEMT_CLEANUP_SCHEDULE"] = "0 5 * * *",
        }, logs, new TestClock(HostHarness.Start));
        await host.StartAsync();

        await logs.WaitForAsync("Scheduled cleanup enabled");
        Assert.Contains(logs.Messages, m => m == "Scheduled cleanup enabled: 03:00; next run at 2024-03-09 03:00:00Z (schedule from JobCleanup:Background:Schedule, enabled by JobCleanup:Background:Enabled=true)");
        var ignored = logs.Entries.Where(e => e.Event.Name == "ScheduleAliasShadowed").Select(e => e.Message).ToArray();
        Assert.Equal(
            ["Schedule alias ignored: EEMT_ENABLE_AUTO_CLEANUP=false is not used: JobCleanup:Background:Enabled is set and wins", "Schedule alias ignored: EEMT_CLEANUP_SCHEDULE=0 5 * * * is not used: JobCleanup:Background:Schedule is set and wins"],
            ignored);
        await host.StopAsync();
    }

    [Fact]
    public async Task bad_values_of_the_old_variables_fail_the_start_naming_each_variable()
    {
        _store.Upsert(JobLayout.Job(_tree, "old", JobStatus.Failed, TimeSpan.FromDays(3), DateTimeOffset.UtcNow, 10, 10));
        using var host = Build(new()
        {
            ["EEMT_ENABLE_AUTO_CLEANUP"] = "sometimes",
            ["EEMT_CLEANUP_SCHEDULE"] = "at dawn",
            ["JobCleanup:Background:RunOnStart"] = "true",
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var messages = Messages(error);
        Assert.Contains("EEMT_ENABLE_AUTO_CLEANUP: 'sometimes' is not true or false", messages, StringComparison.Ordinal);
        Assert.Contains("EEMT_CLEANUP_SCHEDULE: 'at dawn' is not a schedule", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("JobCleanup:Background:Schedule", messages, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_tree.Root, "results", "old", "out.tif")));
    }

    [Fact]
    public async Task the_old_schedule_variable_takes_a_cron_expression_only()
    {
        using var host = Build(new() { ["EEMT_CLEANUP_SCHEDULE"] = "03:00" });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("EEMT_CLEANUP_SCHEDULE: '03:00' is not a cron expression", Messages(error), StringComparison.Ordinal);
    }
}
