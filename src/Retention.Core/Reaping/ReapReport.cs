namespace Retention.Reaping;

/// <summary>What one stale-job sweep did.</summary>
/// <param name="Mode">Run time or start-up.</param>
/// <param name="StartedAt">When it ran (UTC).</param>
/// <param name="JobsFound">Stuck jobs found.</param>
/// <param name="Reaped">The jobs marked failed.</param>
/// <param name="JobsChanged">Jobs that changed between the scan and the update (completed meanwhile, say) and were left alone.</param>
public sealed record ReapReport(ReapMode Mode, DateTimeOffset StartedAt, int JobsFound, IReadOnlyList<ReapedJob> Reaped, int JobsChanged);
