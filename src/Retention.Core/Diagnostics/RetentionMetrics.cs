using System.Diagnostics.Metrics;

namespace Retention.Diagnostics;

/// <summary>The library's instruments, on one <see cref="Meter"/> named <c>Retention</c>, created through the host's <see cref="IMeterFactory"/> when it has one.</summary>
internal sealed class RetentionMetrics : IDisposable
{
    private readonly bool _ownsMeter;

    public RetentionMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(RetentionTelemetry.Name) ?? new Meter(RetentionTelemetry.Name);
        Runs = Meter.CreateCounter<long>(RetentionTelemetry.Runs, "{run}", "Cleanup runs, by outcome.");
        JobsCleaned = Meter.CreateCounter<long>(RetentionTelemetry.JobsCleaned, "{job}", "Jobs whose data was cleaned, by status.");
        BytesFreed = Meter.CreateCounter<long>(RetentionTelemetry.BytesFreed, "By", "Bytes freed by deleting job artifacts, by artifact kind.");
        ArtifactsFailed = Meter.CreateCounter<long>(RetentionTelemetry.ArtifactsFailed, "{artifact}", "Artifacts that could not be deleted, by outcome.");
        RunDuration = Meter.CreateHistogram<double>(RetentionTelemetry.RunDuration, "s", "Duration of cleanup runs.");
        JobsReaped = Meter.CreateCounter<long>(RetentionTelemetry.JobsReaped, "{job}", "Stuck jobs marked failed, by mode.");
        OrphansFound = Meter.CreateCounter<long>(RetentionTelemetry.OrphansFound, "{path}", "Orphaned paths found by sweeps.");
        OrphansDeleted = Meter.CreateCounter<long>(RetentionTelemetry.OrphansDeleted, "{path}", "Orphaned paths deleted.");
    }

    public Meter Meter { get; }

    public Counter<long> Runs { get; }

    public Counter<long> JobsCleaned { get; }

    public Counter<long> BytesFreed { get; }

    public Counter<long> ArtifactsFailed { get; }

    public Histogram<double> RunDuration { get; }

    public Counter<long> JobsReaped { get; }

    public Counter<long> OrphansFound { get; }

    public Counter<long> OrphansDeleted { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
