using Retention.Cleanup;

namespace Retention.AspNetCore.Contracts;

/// <summary>
/// <c>GET status</c>: the run in progress, the last run, the next run, the last occurrence this instance left to another
/// instance of the fleet, the policy in force, and status words no status is mapped to.
/// </summary>
internal sealed record StatusResponse(
    bool Running,
    RunProgress? CurrentRun,
    RunSummary? LastRun,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int ConsecutiveFailures,
    DateTimeOffset? NextRunAt,
    SkippedOccurrenceSummary? LastSkippedOccurrence,
    IReadOnlyList<string> Policy,
    IReadOnlyList<UnmappedStatus> UnmappedStatuses)
{
    public static StatusResponse From(CleanupStatusSnapshot status, Policies.RetentionPolicy policy) => new(
        status.IsRunning,
        RunProgress.From(status.CurrentRun),
        status.LastReport is { } last ? RunSummary.From(last) : null,
        status.LastError,
        status.LastErrorAt,
        status.ConsecutiveFailures,
        status.NextRunAt,
        status.LastSkippedOccurrence is { } skipped ? new(skipped.Occurrence, skipped.Reason, skipped.SkippedAt) : null,
        [.. policy.Rules.Select(r => r.ToString())],
        [.. status.UnmappedStatuses.Select(u => new UnmappedStatus(u.Word, u.Jobs))]);
}

/// <summary>A scheduled occurrence this instance left to another instance: when it was due, why, and when this instance skipped it.</summary>
internal sealed record SkippedOccurrenceSummary(DateTimeOffset Occurrence, Scheduling.OccurrenceSkipReason Reason, DateTimeOffset SkippedAt);

/// <summary>A status word in the store that no status is mapped to; its jobs are never cleaned.</summary>
internal sealed record UnmappedStatus(string Status, long Jobs);

/// <summary>A run in progress: stage, percent, jobs and bytes so far.</summary>
internal sealed record RunProgress(string RunId, string Trigger, string? RequestedBy, DateTimeOffset StartedAt, bool DryRun, CleanupStage Stage, double? Percent, long? Candidates, long JobsScanned, long JobsCleaned, long BytesFreed)
{
    public static RunProgress? From(CleanupRunProgress? run) => run is null ? null : new(
        run.RunId,
        run.Trigger,
        run.RequestedBy,
        run.StartedAt,
        run.Progress.DryRun,
        run.Progress.Stage,
        run.PercentComplete is { } p ? Math.Round(p, 1) : null,
        run.Candidates,
        run.Progress.JobsScanned,
        run.Progress.JobsCleaned,
        run.Progress.BytesFreed);
}

/// <summary>A finished run in brief.</summary>
internal sealed record RunSummary(string RunId, string Trigger, string? RequestedBy, string? RequestedFrom, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool DryRun, CleanupOutcome Outcome, long JobsCleaned, long JobsFailed, SpaceFreed SpaceFreed, string? Error)
{
    public static RunSummary From(CleanupReport report) => new(
        report.RunId,
        report.Trigger,
        report.RequestedBy,
        report.RequestedFrom,
        report.StartedAt,
        report.FinishedAt,
        report.DryRun,
        report.Outcome,
        report.Stats.JobsCleaned,
        report.Stats.JobsFailed,
        SpaceFreed.Of(report.Stats),
        report.Error);
}
