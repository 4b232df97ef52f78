using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retention.Diagnostics;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Status;

/// <summary>
/// The hosted outlook: data a run could not clean shows in the <c>retention.overdue.*</c> gauges and degrades the health
/// check once it has been due too long; data about to become due is announced once through the webhook.
/// </summary>
public sealed class OutlookMonitorTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();
    private readonly ConcurrentDictionary<string, double> _gauges = new();
    private readonly MeterListener _listener = new();
    private object? _scope;

    public OutlookMonitorTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RetentionTelemetry.Name && _scope is not null && ReferenceEquals(instrument.Meter.Scope, _scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _gauges[instrument.Name] = value);
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => _gauges[instrument.Name] = value);
        _listener.Start();
    }

    [Fact]
    public async Task Data_a_run_cannot_clean_shows_in_the_overdue_gauges_and_degrades_the_health_check_once_due_too_long()
    {
        // "stuck" names a file outside every root: each run refuses it. Its 7 days ran out 3 days ago.
        var outside = _h.Tree.File("elsewhere/figure.png", 10);
        _h.SeedJob("stuck", JobStatus.Succeeded, TimeSpan.FromDays(10));
        _h.Store.Upsert(_h.Store.Find("stuck")! with { Artifacts = [new JobArtifact(ArtifactKind.Output, outside, 10)] });
        _h.SeedJob("ok", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var host = _h.Build(
            o => { o.RunOnStart = true; o.Outlook.RefreshInterval = TimeSpan.FromHours(1); o.Outlook.DegradedAfter = TimeSpan.FromDays(2); },
            services: s => s.AddHealthChecks().AddJobCleanupCheck());
        _scope = host.Services.GetRequiredService<IMeterFactory>();
        await host.StartAsync();
        Assert.Equal(1, (await _h.Runs.NextAsync()).Stats.JobsFailed);

        // The run that deleted wakes the outlook at once, not an hour later.
        await _h.Logs.WaitForAsync("Data past due is still on disk: 1 job(s), 10 B, the oldest due since 2024-03-06 01:00:00Z, longer than the outlook allows; the last run");
        _listener.RecordObservableInstruments();
        Assert.Equal(1, _gauges[RetentionTelemetry.OverdueJobs]);
        Assert.Equal(10, _gauges[RetentionTelemetry.OverdueBytes]);
        Assert.Equal(TimeSpan.FromDays(3).TotalSeconds, _gauges[RetentionTelemetry.OverdueOldestAge]);

        var health = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["job-cleanup"];
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.StartsWith("1 job(s) hold 10 B past due; the oldest has been due since 2024-03-06 01:00:00 UTC, longer than 2.00:00:00. The oldest (stuck) stays because the last run", health.Description, StringComparison.Ordinal);
        Assert.Equal(1L, health.Data["overdue_jobs"]);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public async Task Overdue_data_younger_than_the_limit_leaves_the_health_check_healthy()
    {
        _h.SeedJob("late", JobStatus.Succeeded, TimeSpan.FromDays(8)); // due for a day, no run yet
        var host = _h.Build(o => o.Outlook.RefreshInterval = TimeSpan.FromHours(1), services: s => s.AddHealthChecks().AddJobCleanupCheck());
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Logs.WaitForAsync("Outlook read: 1 job(s) past due");

        // Due for a day on a daily schedule is ordinary: no warning, and healthy.
        Assert.DoesNotContain(_h.Logs.Messages, m => m.StartsWith("Data past due", StringComparison.Ordinal));
        var health = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["job-cleanup"];
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal(1L, health.Data["overdue_jobs"]);
    }

    [Fact]
    public async Task The_notice_names_what_becomes_due_within_the_window_once_per_window_through_the_webhook()
    {
        using var webhook = new LocalWebhook();
        _h.SeedJob("soon", JobStatus.Succeeded, TimeSpan.FromDays(6.5)); // due at 13:00 today
        _h.Store.Upsert(_h.Store.Find("soon")! with { Artifacts = [new JobArtifact(ArtifactKind.Output, Path.Combine(_h.Results, "soon"), 2048)] });
        _h.SeedJob("later", JobStatus.Succeeded, TimeSpan.FromDays(3)); // due in 4 days: not in a day's notice
        var host = _h.Build(
            o => { o.Outlook.RefreshInterval = TimeSpan.FromHours(1); o.Outlook.SendNotice = true; },
            more: b => b.AddWebhookNotifier(w => w.Url = webhook.Url));
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        _h.Time.Advance(TimeSpan.FromHours(1));

        var text = JsonDocument.Parse((await webhook.NextBodyAsync().WaitAsync(TimeSpan.FromSeconds(10))).Split('\n', 2)[1]).RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith(":hourglass: 1 job(s) holding 2.0 KB become due for deletion within ", text, StringComparison.Ordinal);
        Assert.Contains("• soon (succeeded, 2.0 KB) at 2024-03-09 13:00 UTC", text, StringComparison.Ordinal);
        Assert.DoesNotContain("later", text, StringComparison.Ordinal);
        Assert.Contains("retention hold add JOB_ID", text, StringComparison.Ordinal);

        // The next hour's read finds the same job: no second notice within the day.
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(2));
        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(3));
        Assert.False(webhook.HasBody);
        Assert.Single(_h.Logs.Messages, m => m.StartsWith("Notice sent: 1 job(s)", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _h.DisposeAsync();
    }
}
