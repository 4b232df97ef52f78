namespace Retention.Sqlite;

/// <summary>One row of the run history.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="DryRun">Whether it was a dry run.</param>
/// <param name="Outcome">completed, cancelled or failed.</param>
/// <param name="JobsScanned">Candidates read.</param>
/// <param name="JobsCleaned">Jobs cleaned.</param>
/// <param name="JobsFailed">Jobs that could not be cleaned.</param>
/// <param name="BytesFreed">Bytes freed.</param>
/// <param name="Error">The error that stopped it, if any.</param>
public sealed record CleanupRunRecord(string RunId, string? Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool DryRun, string Outcome, long JobsScanned, long JobsCleaned, long JobsFailed, long BytesFreed, string? Error);
