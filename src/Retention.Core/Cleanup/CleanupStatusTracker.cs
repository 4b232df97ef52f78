using Retention.Scheduling;
using Retention.Stores;

namespace Retention.Cleanup;

/// <summary>
/// The engine's <see cref="ICleanupStatus"/>, and its single-run gate: claiming a run and publishing it as the current one
/// happen under one lock, so what the status says and whether a run may start never disagree.
/// </summary>
/// <param name="schedules">Read on first use: a schedule depends on the engine, which depends on this tracker.</param>
internal sealed class CleanupStatusTracker(Func<IEnumerable<ICleanupScheduleState>> schedules) : ICleanupStatus
{
    private readonly Lazy<ICleanupScheduleState[]> _schedules = new(() => schedules().ToArray());
    private readonly object _gate = new();
    private CleanupStatusSnapshot _snapshot = new();

    public CleanupStatusSnapshot GetSnapshot()
    {
        DateTimeOffset? next = null;
        SkippedOccurrence? skipped = null;
        foreach (var schedule in _schedules.Value)
        {
            if (schedule.NextRunAt is { } at && (next is null || at < next))
            {
                next = at;
            }

            if (schedule.LastSkippedOccurrence is { } skip && (skipped is null || skip.SkippedAt > skipped.SkippedAt))
            {
                skipped = skip;
            }
        }

        lock (_gate)
        {
            return _snapshot with { NextRunAt = next, LastSkippedOccurrence = skipped };
        }
    }

    /// <summary>Makes <paramref name="run"/> the current run, unless one is in progress (then <paramref name="running"/> is it).</summary>
    public bool TryBegin(CleanupRunProgress run, out CleanupRunProgress? running)
    {
        lock (_gate)
        {
            running = _snapshot.CurrentRun;
            if (running is not null)
            {
                return false;
            }

            _snapshot = _snapshot with { CurrentRun = run };
            return true;
        }
    }

    public void Counted(long candidates) => Update(s => s.CurrentRun is null ? s : s with { CurrentRun = s.CurrentRun with { Candidates = candidates } });

    public void Progressed(CleanupProgress progress) => Update(s => s.CurrentRun is null ? s : s with { CurrentRun = s.CurrentRun with { Progress = progress } });

    /// <summary>Ends run <paramref name="runId"/>; <paramref name="report"/> is null when the engine itself threw.</summary>
    public void Finished(string runId, CleanupReport? report) => Update(s =>
    {
        if (report is { DryRun: false } && s.CurrentRun?.RunId == runId)
        {
            LastRealReport = report;
        }

        if (s.CurrentRun?.RunId != runId)
        {
            return s;
        }

        if (report is null)
        {
            return s with { CurrentRun = null, LastError = $"Cleanup run {runId} ended with an unexpected error (see the log).", LastErrorAt = s.CurrentRun.StartedAt, ConsecutiveFailures = s.ConsecutiveFailures + 1 };
        }

        // A cancelled run (the host stopping) is neither a success nor a failure: it changes no error figure.
        if (report.Outcome == CleanupOutcome.Cancelled)
        {
            return s with { CurrentRun = null, LastReport = report, LastScheduledReport = Scheduled(report, s) };
        }

        var failed = !report.Succeeded;
        return s with
        {
            CurrentRun = null,
            LastReport = report,
            LastScheduledReport = Scheduled(report, s),
            LastSucceededAt = failed ? s.LastSucceededAt : report.FinishedAt,
            LastError = failed ? report.Error ?? $"{report.Stats.JobsFailed} job(s) could not be cleaned" : s.LastError,
            LastErrorAt = failed ? report.FinishedAt : s.LastErrorAt,
            ConsecutiveFailures = failed ? s.ConsecutiveFailures + 1 : 0,
        };
    });

    /// <summary>The last run of this process that deleted (not a dry run): what the outlook says of a job it left behind.</summary>
    public CleanupReport? LastRealReport { get; private set; }

    /// <summary>Keeps what the last check of the store's status words found.</summary>
    public void StatusWordsChecked(IReadOnlyList<UnmappedStatusWord> unmapped) => Update(s => s with { UnmappedStatuses = unmapped });

    private static CleanupReport? Scheduled(CleanupReport report, CleanupStatusSnapshot s) => report.Trigger == CleanupTriggers.Schedule ? report : s.LastScheduledReport;

    private void Update(Func<CleanupStatusSnapshot, CleanupStatusSnapshot> change)
    {
        lock (_gate)
        {
            _snapshot = change(_snapshot);
        }
    }
}
