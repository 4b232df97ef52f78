using Microsoft.Extensions.Options;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Scheduling;

public sealed class OptionsValidationTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task Every_bad_value_is_reported_at_start_with_its_key_and_nothing_runs()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var host = _h.Build(o =>
        {
            o.Enabled = true;
            o.RunOnStart = true;
            o.Schedule = "at dawn";
            o.TimeZone = "Mars/Olympus_Mons";
            o.Reaper.Interval = TimeSpan.Zero;
            o.Jitter = TimeSpan.FromMinutes(-1);
            o.Orphans.Schedule = "99:99";
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("JobCleanup:Background:Schedule: 'at dawn' is not a schedule", error.Message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:TimeZone: 'Mars/Olympus_Mons' is not a time zone", error.Message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:Reaper:Interval must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:Jitter must be at least 0 and shorter than the schedule's period", error.Message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:Orphans:Schedule: '99:99' is not a schedule", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_h.Results, "old", "out.tif")));
        Assert.Null(_h.Store.Find("old")!.DataCleanedAt);
    }

    [Fact]
    public async Task Values_that_would_break_the_loops_or_race_a_job_are_refused()
    {
        var host = _h.Build(o =>
        {
            o.Schedule = "every 1h";
            o.Jitter = TimeSpan.FromHours(1);
            o.StartDelay = TimeSpan.MaxValue;
            o.ClockCheckInterval = TimeSpan.Zero;
            o.Orphans.Delete = true;
            o.Orphans.MinimumAge = TimeSpan.FromMinutes(5);
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("JobCleanup:Background:Jitter must be at least 0 and shorter than the schedule's period (01:00:00); it is 01:00:00.", error.Message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:StartDelay must be between 00:00:00 and 1.00:00:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:ClockCheckInterval must be between", error.Message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Background:Orphans:MinimumAge must be at least 01:00:00 when Orphans:Delete is on; it is 00:05:00.", error.Message, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
