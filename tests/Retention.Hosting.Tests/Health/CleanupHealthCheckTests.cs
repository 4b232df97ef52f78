using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retention.Cleanup;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Health;

public sealed class CleanupHealthCheckTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task Healthy_before_the_first_run_and_after_a_good_one()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var host = _h.Build(o => o.Enabled = true, services: s => s.AddHealthChecks().AddJobCleanupCheck());
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        var before = await CheckAsync();
        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal("No cleanup has run yet.", before.Description);

        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Runs.NextAsync();
        var after = await CheckAsync();
        Assert.Equal(HealthStatus.Healthy, after.Status);
        Assert.Equal(1L, after.Data["last_run_jobs_cleaned"]);
        Assert.Equal("completed", after.Data["last_run_outcome"]);
    }

    [Fact]
    public async Task Degraded_when_the_last_scheduled_run_failed_and_healthy_again_after_a_good_one()
    {
        var store = new FailingStore(_h.Store);
        var host = _h.Build(o => o.Enabled = true, more: b => b.UseStore(_ => store), services: s => s.AddHealthChecks().AddJobCleanupCheck());
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        _h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(CleanupOutcome.Failed, (await _h.Runs.NextAsync()).Outcome);

        var degraded = await CheckAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("database is unreachable", degraded.Description, StringComparison.Ordinal);

        store.Failing = false;
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(25));
        _h.Time.Advance(TimeSpan.FromDays(1));
        await _h.Runs.NextAsync();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);
    }

    [Fact]
    public async Task Unhealthy_after_three_failed_runs_in_a_row()
    {
        var store = new FailingStore(_h.Store);
        var host = _h.Build(more: b => b.UseStore(_ => store), services: s => s.AddHealthChecks().AddJobCleanupCheck());
        await host.StartAsync();
        var cleaner = host.Services.GetRequiredService<IJobCleaner>();

        await cleaner.RunAsync(CleanupRequest.Default);
        await cleaner.RunAsync(CleanupRequest.Default);
        Assert.NotEqual(HealthStatus.Unhealthy, (await CheckAsync()).Status);
        await cleaner.RunAsync(CleanupRequest.Default);

        var result = await CheckAsync();
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("The last 3 cleanup runs failed: database is unreachable", result.Description);
        Assert.Equal(3, result.Data["consecutive_failures"]);
    }

    [Fact]
    public async Task Degraded_when_the_schedule_is_more_than_two_periods_overdue()
    {
        var host = _h.Build(o => o.Enabled = true, services: s => s.AddHealthChecks().AddJobCleanupCheck());
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));

        // The machine sleeps through the 02:00 runs of three days: no timer fires, no run happens.
        _h.Time.Jump(TimeSpan.FromDays(2).Add(TimeSpan.FromHours(1)));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status); // due at 02:00 day 1; two more periods end 02:00 day 3
        _h.Time.Jump(TimeSpan.FromHours(1));
        var result = await CheckAsync();
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("more than two periods overdue", result.Description, StringComparison.Ordinal);
    }

    private async Task<HealthReportEntry> CheckAsync()
    {
        var report = await _h.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["job-cleanup"];
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
