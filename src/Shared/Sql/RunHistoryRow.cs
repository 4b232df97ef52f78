using Retention.Cleanup;

namespace Retention.Stores.Sql;

/// <summary>
/// One row of the run history table, the same columns in every SQL store: the column list and the parameter names for
/// the <c>INSERT</c>, and each value from the report. A store supplies how it writes a time.
/// </summary>
internal static class RunHistoryRow
{
    private static readonly string[] Names =
        ["run_id", "trigger", "requested_by", "requested_from", "started_at", "finished_at", "dry_run", "outcome", "jobs_scanned", "jobs_cleaned", "jobs_failed", "bytes_freed", "error"];

    /// <summary><c>run_id, trigger, ...</c>, in the order of <see cref="Values"/>.</summary>
    public static string Columns { get; } = string.Join(", ", Names);

    /// <summary><c>@run_id, @trigger, ...</c>, in the order of <see cref="Values"/>.</summary>
    public static string Parameters { get; } = string.Join(", ", Names.Select(n => "@" + n));

    /// <summary>The parameters' names (without <c>@</c>) and values; a missing value is <see cref="DBNull"/>.</summary>
    public static IEnumerable<(string Name, object Value)> Values(CleanupReport report, Func<DateTimeOffset, object> time, Func<bool, object> flag)
    {
        object[] values =
        [
            report.RunId, report.Trigger, (object?)report.RequestedBy ?? DBNull.Value, (object?)report.RequestedFrom ?? DBNull.Value,
            time(report.StartedAt), time(report.FinishedAt), flag(report.DryRun), report.Outcome.ToString().ToLowerInvariant(),
            report.Stats.JobsScanned, report.Stats.JobsCleaned, report.Stats.JobsFailed, report.Stats.BytesFreed, (object?)report.Error ?? DBNull.Value,
        ];
        return Names.Zip(values);
    }
}
