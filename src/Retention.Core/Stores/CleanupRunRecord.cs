namespace Retention.Stores;

/// <summary>One row of the run history that an <see cref="ICleanupRunStore"/> keeps.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Trigger">What started it (<c>schedule</c>, <c>http</c>, <c>cli</c>, ...).</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="FinishedAt">When it finished (UTC).</param>
/// <param name="DryRun">Whether it was a dry run.</param>
/// <param name="Outcome">completed, cancelled or failed.</param>
/// <param name="JobsScanned">Candidates read.</param>
/// <param name="JobsCleaned">Jobs cleaned.</param>
/// <param name="JobsFailed">Jobs that could not be cleaned.</param>
/// <param name="BytesFreed">Bytes freed.</param>
/// <param name="Error">The error that stopped it, if any.</param>
public sealed record CleanupRunRecord(string RunId, string? Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool DryRun, string Outcome, long JobsScanned, long JobsCleaned, long JobsFailed, long BytesFreed, string? Error)
{
    /// <summary>Who asked for the run, for audit.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Where the request came from (a remote IP address), for audit.</summary>
    public string? RequestedFrom { get; init; }

    /// <summary>The history row of a finished run's report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The row.</returns>
    public static CleanupRunRecord From(Cleanup.CleanupReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(
            report.RunId,
            report.Trigger,
            report.StartedAt,
            report.FinishedAt,
            report.DryRun,
            report.Outcome.ToString().ToLowerInvariant(),
            report.Stats.JobsScanned,
            report.Stats.JobsCleaned,
            report.Stats.JobsFailed,
            report.Stats.BytesFreed,
            report.Error)
        {
            RequestedBy = report.RequestedBy,
            RequestedFrom = report.RequestedFrom,
        };
    }
}
