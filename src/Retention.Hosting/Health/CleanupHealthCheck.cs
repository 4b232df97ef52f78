using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retention.Cleanup;
using Retention.Hosting.Scheduling;
using Retention.Hosting.Status;

namespace Retention.Hosting.Health;

/// <summary>
/// Healthy after a good run (or before the first); degraded when the last scheduled run failed, when the store holds status
/// words no status is mapped to (their jobs are never cleaned), when data has been past due and still present for longer
/// than the outlook's <see cref="OutlookOptions.DegradedAfter"/>, or when no scheduled run
/// has happened for more than two periods past its due time; unhealthy after repeated failed runs. The data carries the figures.
/// </summary>
internal sealed class CleanupHealthCheck(ICleanupStatus status, ScheduledCleanupService scheduler, TimeProvider time, int unhealthyAfterFailures, OutlookMonitor? outlook = null) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = status.GetSnapshot();
        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>
        {
            ["running"] = snapshot.IsRunning,
            ["consecutive_failures"] = snapshot.ConsecutiveFailures,
        };
        if (snapshot.LastReport is { } last)
        {
            data["last_run"] = last.RunId;
            data["last_run_finished_at"] = Format(last.FinishedAt);
            data["last_run_outcome"] = last.Outcome.ToString().ToLowerInvariant();
            data["last_run_jobs_cleaned"] = last.Stats.JobsCleaned;
            data["last_run_bytes_freed"] = last.Stats.BytesFreed;
        }

        if (snapshot.UnmappedStatuses.Count > 0)
        {
            data["unmapped_statuses"] = snapshot.UnmappedStatuses.ToDictionary(u => u.Word, u => u.Jobs);
        }

        if (snapshot.NextRunAt is { } next)
        {
            data["next_run_at"] = Format(next);
        }

        if (outlook?.Outlook is { } seen)
        {
            data["overdue_jobs"] = seen.OverdueJobs;
            data["overdue_bytes"] = seen.OverdueBytes;
            if (seen.OldestOverdueSince is { } since)
            {
                data["oldest_overdue_since"] = Format(since);
            }
        }

        return Task.FromResult(Evaluate(snapshot, now, data));
    }

    private HealthCheckResult Evaluate(CleanupStatusSnapshot snapshot, DateTimeOffset now, Dictionary<string, object> data)
    {
        if (snapshot.ConsecutiveFailures >= unhealthyAfterFailures)
        {
            return HealthCheckResult.Unhealthy($"The last {snapshot.ConsecutiveFailures} cleanup runs failed: {snapshot.LastError}", data: data);
        }

        if (scheduler.IsScheduled)
        {
            if (snapshot.LastScheduledReport is { Succeeded: false, Outcome: not CleanupOutcome.Cancelled } failed)
            {
                return HealthCheckResult.Degraded($"The last scheduled cleanup ({failed.RunId}) failed: {failed.Error ?? $"{failed.Stats.JobsFailed} job(s) could not be cleaned"}", data: data);
            }

            // Measured from the last scheduled run (here, or on the instance that held the leader lock), or from when the
            // schedule started in this process.
            if (Latest(snapshot.LastScheduledReport?.StartedAt ?? scheduler.StartedAt, scheduler.LastRanElsewhereAt) is { } since && !snapshot.IsRunning)
            {
                var schedule = scheduler.Schedule;
                var due = schedule.GetNextOccurrence(since);
                var overdueAt = schedule.GetNextOccurrence(schedule.GetNextOccurrence(due)) + scheduler.MaxJitter;
                if (now > overdueAt)
                {
                    return HealthCheckResult.Degraded($"No scheduled cleanup since {Format(since)}; the run due at {Format(due)} is more than two periods overdue.", data: data);
                }
            }
        }

        // Read when the outlook last looked; its age grows with the clock, so a stopped outlook still degrades in time.
        if (outlook?.Outlook is { OldestOverdueSince: { } overdueSince } seen && now - overdueSince > outlook.DegradedAfter)
        {
            var why = seen.Overdue.Count > 0 && seen.Overdue[0].StaysBecause is { } stays ? $" The oldest ({seen.Overdue[0].JobId}) stays because {stays}." : string.Empty;
            return HealthCheckResult.Degraded($"{seen.OverdueJobs} job(s) hold {ByteSize.Format(seen.OverdueBytes)} past due; the oldest has been due since {Format(overdueSince)}, longer than {outlook.DegradedAfter}.{why}", data: data);
        }

        if (snapshot.UnmappedStatuses.Count > 0)
        {
            var words = string.Join(", ", snapshot.UnmappedStatuses.Select(u => $"'{u.Word}' ({u.Jobs} job(s))"));
            return HealthCheckResult.Degraded($"Status words no status is mapped to: {words}; their jobs are never cleaned until the words are mapped (StatusNames).", data: data);
        }

        return HealthCheckResult.Healthy(
            snapshot.LastReport is { } last ? $"Last cleanup {last.Outcome.ToString().ToLowerInvariant()} at {Format(last.FinishedAt)}." : "No cleanup has run yet.",
            data);
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
