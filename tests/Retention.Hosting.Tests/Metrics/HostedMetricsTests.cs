using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Retention.Diagnostics;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Metrics;

public sealed class HostedMetricsTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, string Tags)> _measurements = new();
    private readonly MeterListener _listener = new();

    private object? _scope;

    public HostedMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this test's host: tests run in parallel, each host with its own meter factory.
            if (instrument.Meter.Name == RetentionTelemetry.Name && _scope is not null && ReferenceEquals(instrument.Meter.Scope, _scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measurements.Enqueue((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            _measurements.Enqueue((instrument.Name, (long)Math.Ceiling(value), string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        _listener.Start();
    }

    [Fact]
    public async Task A_scheduled_run_publishes_runs_jobs_bytes_duration_and_the_storage_gauge_follows()
    {
        _h.SeedJob("ok-1", JobStatus.Succeeded, TimeSpan.FromDays(8), bytes: 4096);
        _h.SeedJob("fresh", JobStatus.Succeeded, TimeSpan.FromDays(1), bytes: 4096);
        _h.Store.Upsert(_h.Store.Find("ok-1")! with { Artifacts = [new JobArtifact(ArtifactKind.Output, Path.Combine(_h.Results, "ok-1"), 4096)] });
        _h.Store.Upsert(_h.Store.Find("fresh")! with { Artifacts = [new JobArtifact(ArtifactKind.Output, Path.Combine(_h.Results, "fresh"), 4096)] });
        var host = _h.Build(o => o.RunOnStart = true);
        _scope = host.Services.GetRequiredService<IMeterFactory>();
        await host.StartAsync();
        await _h.Runs.NextAsync();

        Assert.Contains(_measurements, m => m is { Instrument: RetentionTelemetry.Runs, Value: 1 } && m.Tags.Contains("outcome=completed", StringComparison.Ordinal));
        Assert.Contains(_measurements, m => m is { Instrument: RetentionTelemetry.JobsCleaned, Value: 1, Tags: "status=succeeded" });
        Assert.Equal(5120, _measurements.Where(m => m.Instrument == RetentionTelemetry.BytesFreed).Sum(m => m.Value));
        Assert.Contains(_measurements, m => m.Instrument == RetentionTelemetry.RunDuration);

        // The gauge reports what jobs not yet cleaned hold: only "fresh" now.
        _listener.RecordObservableInstruments();
        var held = _measurements.Where(m => m.Instrument == RetentionTelemetry.StorageHeld).ToArray();
        Assert.Equal(("succeeded", 4096L), (held.Single().Tags.Split('=')[1], held.Single().Value));
    }

    [Fact]
    public async Task The_reaper_publishes_stale_jobs_failed()
    {
        _h.Store.Upsert(new JobRecord("stuck", JobStatus.Running) { CreatedAt = HostHarness.Start.AddDays(-3), StartedAt = HostHarness.Start.AddDays(-3) });
        var host = _h.Build(o => o.Reaper.Enabled = true);
        _scope = host.Services.GetRequiredService<IMeterFactory>();
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddMinutes(1));

        Assert.Contains(_measurements, m => m is { Instrument: RetentionTelemetry.JobsReaped, Value: 1 });
        Assert.Equal(JobStatus.Failed, _h.Store.Find("stuck")!.Status);
    }

    [Fact]
    public async Task A_deleting_orphan_sweep_publishes_orphans_found_and_deleted()
    {
        var orphan = _h.Tree.File("results/ghost-job/out.tif", 100);
        File.SetLastWriteTimeUtc(orphan, HostHarness.Start.AddDays(-3).UtcDateTime);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(orphan)!, HostHarness.Start.AddDays(-3).UtcDateTime);
        var host = _h.Build(o => { o.Orphans.Enabled = true; o.Orphans.Delete = true; o.Orphans.Schedule = "every 1h"; });
        _scope = host.Services.GetRequiredService<IMeterFactory>();
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddHours(1));
        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Logs.WaitForAsync("Orphan sweep");

        Assert.Contains(_measurements, m => m is { Instrument: RetentionTelemetry.OrphansFound, Value: 1, Tags: "mode=delete" });
        Assert.Contains(_measurements, m => m is { Instrument: RetentionTelemetry.OrphansDeleted, Value: 1 });
        Assert.False(File.Exists(orphan));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _h.DisposeAsync();
    }
}
