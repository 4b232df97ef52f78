using Retention.Reaping;

namespace Retention.AspNetCore.Contracts;

/// <summary><c>POST stale</c>: what the reset or the reaper failed.</summary>
internal sealed record StaleResponse(string Mode, int JobsFound, int JobsChanged, IReadOnlyList<StaleJob> Reaped)
{
    public static StaleResponse From(string mode, ReapReport report) => new(
        mode,
        report.JobsFound,
        report.JobsChanged,
        [.. report.Reaped.Select(j => new StaleJob(j.JobId, j.JobType, j.PreviousStatus.ToWord(), Durations.ToClock(j.Runtime), j.ErrorMessage))]);
}

/// <summary>One job marked failed.</summary>
internal sealed record StaleJob(string JobId, string? JobType, string PreviousStatus, string Runtime, string ErrorMessage);
