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
        var host = h.Build(); // the harness turns the schedule off, as a host does with JobCleanup:Background:Enabled=false
        await host.StartAsync();

        await h.Logs.WaitForAsync("Scheduled cleanup is off"); // the schedule's loop logs it as it starts, after StartAsync returns
        var warning = Assert.Single(h.Logs.Entries, e => e.Event.Name == "ScheduleOff");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("JobCleanup:Background:Enabled is false", warning.Message, StringComparison.Ordinal);
        Assert.Null(host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
    }
}
