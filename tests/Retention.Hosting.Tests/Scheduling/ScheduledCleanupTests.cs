using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Retention.Cleanup;
using Retention.Hosting.Scheduling;
using Retention.Hosting.Tests.Support;
using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.Hosting.Tests.Scheduling;

public sealed class ScheduledCleanupTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task Runs_at_the_daily_time_and_reports_the_next_run()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var host = _h.Build(o => { o.Enabled = true; o.Schedule = "02:00"; });
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));

        var status = host.Services.GetRequiredService<ICleanupStatus>();
        Assert.Equal(HostHarness.Start.AddHours(1), status.GetSnapshot().NextRunAt);
        Assert.True(File.Exists(Path.Combine(_h.Results, "old", "out.tif")));

        _h.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(_h.Runs.HasReport);
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        var report = await _h.Runs.NextAsync();

        Assert.Equal(CleanupTriggers.Schedule, report.Trigger);
        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        Assert.Equal(1, report.Stats.JobsCleaned);
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "old")));
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(25));
        Assert.Equal(HostHarness.Start.AddHours(25), status.GetSnapshot().NextRunAt);
    }

    [Fact]
    public async Task A_daily_time_in_a_zone_follows_its_daylight_saving_change()
    {
        // 2024-03-10 is the US spring-forward day: 03:00 New York is 08:00 UTC before it and 07:00 UTC after it.
        _h.Time.AdvanceTo(new DateTimeOffset(2024, 3, 9, 9, 0, 0, TimeSpan.Zero));
        var host = _h.Build(o => { o.Enabled = true; o.Schedule = "03:00"; o.TimeZone = "America/New_York"; });
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(new DateTimeOffset(2024, 3, 10, 7, 0, 0, TimeSpan.Zero));
        var status = host.Services.GetRequiredService<ICleanupStatus>();

        Assert.Equal(new DateTimeOffset(2024, 3, 10, 7, 0, 0, TimeSpan.Zero), status.GetSnapshot().NextRunAt);
        _h.Time.AdvanceTo(new DateTimeOffset(2024, 3, 10, 7, 0, 0, TimeSpan.Zero));
        await _h.Runs.NextAsync();
        await _h.Time.WaitForTimerAtAsync(new DateTimeOffset(2024, 3, 11, 7, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2024, 3, 11, 7, 0, 0, TimeSpan.Zero), status.GetSnapshot().NextRunAt);
    }

    [Fact]
    public async Task Cron_and_interval_schedules_run_at_their_times()
    {
        var host = _h.Build(o => { o.Enabled = true; o.Schedule = "30 */6 * * *"; });
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(new DateTimeOffset(2024, 3, 9, 6, 30, 0, TimeSpan.Zero));
        var status = host.Services.GetRequiredService<ICleanupStatus>();
        Assert.Equal(new DateTimeOffset(2024, 3, 9, 6, 30, 0, TimeSpan.Zero), status.GetSnapshot().NextRunAt);
        await host.StopAsync();

        await using var other = new HostHarness();
        // An interval falls on its multiples since the Unix epoch: "every 90m" started at 01:00 UTC next runs at 01:30, not 02:30.
        var every = other.Build(o => { o.Enabled = true; o.Schedule = "every 90m"; });
        await every.StartAsync();
        await other.Time.WaitForTimerAtAsync(HostHarness.Start.AddMinutes(30));
        Assert.Equal(HostHarness.Start.AddMinutes(30), every.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
        other.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(CleanupTriggers.Schedule, (await other.Runs.NextAsync()).Trigger);
    }

    [Fact]
    public async Task A_run_missed_while_down_runs_soon_after_start()
    {
        // The last scheduled run was two days ago: today's 02:00 was missed (the host starts at 01:00 the day after).
        await _h.Store.RecordRunAsync(PastRun(HostHarness.Start.AddDays(-2).AddHours(1)));
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var host = _h.Build(o => { o.Enabled = true; o.StartDelay = TimeSpan.FromSeconds(30); });
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddSeconds(30));

        Assert.Equal(HostHarness.Start.AddSeconds(30), host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var report = await _h.Runs.NextAsync();
        Assert.Equal(CleanupTriggers.Schedule, report.Trigger);
        Assert.Equal(1, report.Stats.JobsCleaned);
        Assert.Contains(_h.Logs.Messages, m => m.StartsWith("Missed scheduled cleanup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_catch_up_when_the_last_run_is_within_one_period()
    {
        await _h.Store.RecordRunAsync(PastRun(HostHarness.Start.AddHours(-23)));
        var host = _h.Build(o => o.Enabled = true);
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));

        Assert.Equal(HostHarness.Start.AddHours(1), host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
        Assert.DoesNotContain(_h.Logs.Messages, m => m.StartsWith("Missed scheduled cleanup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_on_start_runs_once_with_the_startup_trigger_even_without_a_schedule()
    {
        _h.SeedJob("old", JobStatus.Failed, TimeSpan.FromDays(1));
        var host = _h.Build(o => { o.Enabled = false; o.RunOnStart = true; });
        await host.StartAsync();

        var report = await _h.Runs.NextAsync();
        Assert.Equal(CleanupTriggers.Startup, report.Trigger);
        Assert.Equal(1, report.Stats.JobsCleaned);
        Assert.Null(host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
    }

    [Fact]
    public async Task Jitter_delays_the_run_by_at_most_its_bound()
    {
        var host = _h.Build(o => { o.Enabled = true; o.Jitter = TimeSpan.FromMinutes(10); o.UsageRefreshInterval = TimeSpan.FromDays(30); });
        await host.StartAsync();
        await _h.Time.WaitForTimersAsync(2); // the usage gauge's refresh and the schedule

        var next = host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt!.Value;
        Assert.InRange(next, HostHarness.Start.AddHours(1), HostHarness.Start.AddHours(1).AddMinutes(10));
    }

    [Fact]
    public async Task Nothing_runs_in_the_Testing_environment_unless_asked()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var host = _h.Build(o => { o.Enabled = true; o.RunOnStart = true; }, environment: "Testing");
        await host.StartAsync();
        await host.StopAsync();

        Assert.False(_h.Runs.HasReport);
        Assert.True(File.Exists(Path.Combine(_h.Results, "old", "out.tif")));
        Assert.Contains(_h.Logs.Messages, m => m.Contains("off in the Testing environment", StringComparison.Ordinal));

        await using var asked = new HostHarness();
        asked.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var testing = asked.Build(o => { o.RunOnStart = true; o.RunInTesting = true; }, environment: "Testing");
        await testing.StartAsync();
        Assert.Equal(1, (await asked.Runs.NextAsync()).Stats.JobsCleaned);
    }

    [Fact]
    public async Task The_storage_gauge_does_not_read_the_store_in_the_Testing_environment_either()
    {
        var store = new CountingUsageStore(_h.Store);
        var host = _h.Build(environment: "Testing", more: b => b.UseStore(_ => store));
        await host.StartAsync();

        // With the schedule, reaper and sweep off, the gauge is the only service that could say so.
        await _h.Logs.WaitForAsync("Background cleanup is off in the Testing environment");
        await host.StopAsync();
        Assert.Equal(0, store.UsageReads);
    }

    [Fact]
    public async Task Start_and_stop_are_idempotent()
    {
        var host = _h.Build(o => o.Enabled = true);
        var scheduler = host.Services.GetServices<IHostedService>().OfType<ScheduledCleanupService>().Single();
        await scheduler.StopAsync(CancellationToken.None); // stop before start: nothing to do
        await host.StartAsync();
        await scheduler.StartAsync(CancellationToken.None); // second start: still one loop
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddMinutes(5)); // the usage gauge's
        Assert.Equal(2, _h.Time.PendingTimers);

        await host.StopAsync();
        await host.StopAsync();
        Assert.Null(host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
        await scheduler.StartAsync(CancellationToken.None); // a stopped loop starts again
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        Assert.NotNull(host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
    }

    [Fact]
    public async Task A_run_history_that_cannot_be_read_means_no_catch_up_not_no_schedule()
    {
        var store = new FailingStore(_h.Store) { Failing = false, HistoryFailing = true };
        var host = _h.Build(o => o.Enabled = true, more: b => b.UseStore(_ => store));
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        Assert.Contains(_h.Logs.Messages, m => m.StartsWith("Could not read the run history to look for a missed run", StringComparison.Ordinal));

        _h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(CleanupTriggers.Schedule, (await _h.Runs.NextAsync()).Trigger);
    }

    [Fact]
    public async Task Hosts_started_at_different_moments_wait_for_the_same_interval_occurrence()
    {
        // Two replicas: one starts at 01:00, the other 17 minutes and 3 seconds later. "every 1h" counted from each start
        // would give 02:00 and 02:17:03; aligned to the epoch both wait for 02:00.
        await using var late = new HostHarness();
        var first = _h.Build(o => { o.Enabled = true; o.Schedule = "every 1h"; });
        await first.StartAsync();
        late.Time.Advance(new TimeSpan(0, 17, 3));
        var second = late.Build(o => { o.Enabled = true; o.Schedule = "every 1h"; });
        await second.StartAsync();

        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        await late.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        Assert.Equal(HostHarness.Start.AddHours(1), first.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
        Assert.Equal(HostHarness.Start.AddHours(1), second.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
        await second.StopAsync();
    }

    [Fact]
    public async Task An_interval_counts_from_the_previous_occurrence_not_from_the_end_of_a_long_run()
    {
        // Each run takes 20 minutes of the clock: "every 1h" still runs at 02:00, 03:00, not 02:00, 03:20.
        var store = new SlowStore(_h.Store, _h.Time, TimeSpan.FromMinutes(20));
        var host = _h.Build(o => { o.Enabled = true; o.Schedule = "every 1h"; o.UsageRefreshInterval = TimeSpan.FromDays(30); }, more: b => b.UseStore(_ => store));
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        _h.Time.Advance(TimeSpan.FromHours(1));
        var first = await _h.Runs.NextAsync();

        Assert.Equal(HostHarness.Start.AddHours(1), first.StartedAt);
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(2));
        Assert.Equal(HostHarness.Start.AddHours(2), host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().NextRunAt);
    }

    [Fact]
    public async Task A_machine_that_slept_through_the_run_time_runs_it_within_the_clock_check_interval_of_waking()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var host = _h.Build(o => { o.Enabled = true; o.ClockCheckInterval = TimeSpan.FromMinutes(1); o.UsageRefreshInterval = TimeSpan.FromDays(30); });
        await host.StartAsync();
        await _h.Time.WaitForTimersAsync(2); // the schedule's first one-minute step toward 02:00, and the gauge's

        // Asleep from 01:00 to 03:00: the timers, on a clock that stopped, are two hours late; the wall clock is not.
        _h.Time.Jump(TimeSpan.FromHours(2));
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        var report = await _h.Runs.NextAsync();

        Assert.Equal(HostHarness.Start.AddHours(2).AddMinutes(1), report.StartedAt);
        Assert.Equal(1, report.Stats.JobsCleaned);
    }

    private static CleanupReport PastRun(DateTimeOffset at) => new()
    {
        RunId = "cleanup-past",
        Trigger = CleanupTriggers.Schedule,
        StartedAt = at,
        FinishedAt = at.AddSeconds(5),
        Outcome = CleanupOutcome.Completed,
        Stats = new CleanupStats(),
    };

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    /// <summary>The in-memory store, counting how often its storage usage is read.</summary>
    private sealed class CountingUsageStore(InMemoryJobStore inner) : DelegatingStore(inner), IStorageUsageStore
    {
        private int _reads;

        public int UsageReads => Volatile.Read(ref _reads);

        public ValueTask<IReadOnlyList<StorageUsage>> GetStorageUsageAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return Inner.GetStorageUsageAsync(cancellationToken);
        }
    }

    /// <summary>The in-memory store, whose candidate read takes a given time on the test's clock: a long run.</summary>
    private sealed class SlowStore(InMemoryJobStore inner, TestClock time, TimeSpan takes) : DelegatingStore(inner)
    {
        public override async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            time.Advance(takes);
            await foreach (var job in Inner.GetCleanupCandidatesAsync(query, cancellationToken))
            {
                yield return job;
            }
        }
    }
}
