using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Status;

public sealed class CleanupTriggerTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task A_triggered_run_runs_in_the_background_and_a_second_trigger_reports_already_running()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var store = new HeldStore(_h.Store);
        var host = _h.Build(more: b => b.UseStore(_ => store));
        await host.StartAsync();
        var trigger = host.Services.GetRequiredService<ICleanupTrigger>();

        var first = trigger.Trigger(new CleanupRequest { Trigger = CleanupTriggers.OnDemand, RequestedBy = "admin" });
        Assert.True(first.Started);
        var second = trigger.Trigger();
        Assert.False(second.Started);
        Assert.Null(second.Completion);
        Assert.Equal("admin", second.Running!.RequestedBy);
        Assert.Equal(CleanupTriggers.OnDemand, second.Running.Trigger);

        store.Release();
        var report = await first.Completion!;
        Assert.Equal(CleanupOutcome.Completed, report.Outcome);
        Assert.Equal(1, report.Stats.JobsCleaned);
        var snapshot = host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot();
        Assert.False(snapshot.IsRunning);
        Assert.Same(report, snapshot.LastReport);
        Assert.True(trigger.Trigger(CleanupRequest.Preview).Started);
    }

    [Fact]
    public async Task Stopping_the_host_waits_for_a_triggered_run_to_record_itself()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var store = new HeldStore(_h.Store);
        var host = _h.Build(more: b => b.UseStore(_ => store));
        await host.StartAsync();
        var start = host.Services.GetRequiredService<ICleanupTrigger>().Trigger();

        await host.StopAsync();

        // Held before it read a candidate, the run was cancelled by the stop, and had ended before the stop returned.
        Assert.True(start.Completion!.IsCompletedSuccessfully);
        Assert.Equal(CleanupOutcome.Cancelled, (await start.Completion).Outcome);
        Assert.False(host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().IsRunning);
        Assert.True(File.Exists(Path.Combine(_h.Results, "old", "out.tif")));
    }

    [Fact]
    public async Task Cancel_stops_the_run_it_names_and_no_other_and_the_host_runs_on()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var store = new HeldStore(_h.Store);
        var host = _h.Build(more: b => b.UseStore(_ => store));
        await host.StartAsync();
        var trigger = host.Services.GetRequiredService<ICleanupTrigger>();
        var start = trigger.Trigger();

        Assert.False(trigger.Cancel("cleanup-not-this-one"));
        Assert.True(trigger.Cancel(start.RunId!));

        // Held before it read a candidate, the run stopped there: nothing deleted, recorded as cancelled.
        var report = await start.Completion!;
        Assert.Equal(CleanupOutcome.Cancelled, report.Outcome);
        Assert.True(File.Exists(Path.Combine(_h.Results, "old", "out.tif")));
        Assert.False(trigger.Cancel(start.RunId!));

        store.Release();
        var next = await trigger.Trigger().Completion!;
        Assert.Equal(CleanupOutcome.Completed, next.Outcome);
        Assert.Equal(1, next.Stats.JobsCleaned);
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
