using Retention.Scheduling;

namespace Retention.Cleanup;

/// <summary>The engine's <see cref="ICleanupStatus"/>: the engine reports each run's start, progress and end; readers take snapshots.</summary>
/// <param name="schedules">Read on first use: a schedule depends on the engine, which depends on this tracker.</param>
internal sealed class CleanupStatusTracker(Func<IEnumerable<ICleanupScheduleState>> schedules) : ICleanupStatus
{
    private readonly Lazy<ICleanupScheduleState[]> _schedules = new(() => schedules().ToArray());
    private readonly object _gate = new();
    private CleanupStatusSnapshot _snapshot = new();

    public CleanupStatusSnapshot GetSnapshot()
    {
        DateTimeOffset? next = null;
        foreach (var schedule in _schedules.Value)
        {
            if (schedule.NextRunAt is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        lock (_gate)
        {
            return _snapshot with { NextRunAt = next };
        }
    }

    public void Started(CleanupRunProgress run) => Update(s => s with { CurrentRun = run });

    public void Counted(long candidates) => Update(s => s.CurrentRun is null ? s : s with { CurrentRun = s.CurrentRun with { Candidates = candidates } });

    public void Progressed(CleanupProgress progress) => Update(s => s.CurrentRun is null ? s : s with { CurrentRun = s.CurrentRun with { Progress = progress } });

    public void Finished(CleanupReport report) => Update(s =>
    {
        var failed = !report.Succeeded;
        var error = report.Error ?? (report.Stats.JobsFailed > 0 ? $"{report.Stats.JobsFailed} job(s) could not be cleaned" : null);
        return s with
        {
            CurrentRun = null,
            LastReport = report,
            LastScheduledReport = report.Trigger == CleanupTriggers.Schedule ? report : s.LastScheduledReport,
            LastSucceededAt = failed ? s.LastSucceededAt : report.FinishedAt,
            LastError = failed ? error : s.LastError,
            LastErrorAt = failed ? report.FinishedAt : s.LastErrorAt,

            // A cancelled run (the host stopping) is neither a success nor a failure.
            ConsecutiveFailures = report.Outcome == CleanupOutcome.Cancelled ? s.ConsecutiveFailures : failed ? s.ConsecutiveFailures + 1 : 0,
        };
    });

    private void Update(Func<CleanupStatusSnapshot, CleanupStatusSnapshot> change)
    {
        lock (_gate)
        {
            _snapshot = change(_snapshot);
        }
    }
}
