namespace Retention.Reaping;

/// <summary>How the stale-job reaper decides that a job is stuck (configuration section <c>JobCleanup:StaleJobs</c>).</summary>
public sealed class StaleJobOptions
{
    /// <summary>The longest a job may legitimately run. Default: 1 day.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = JobCleanupDefaults.ExecutionTimeout;

    /// <summary>Grace added to the timeout before a job counts as stuck. Default: 1 minute.</summary>
    public TimeSpan Buffer { get; set; } = JobCleanupDefaults.StaleBuffer;

    /// <summary>Active statuses the run-time reaper fails when stuck. Default: Running, Pending.</summary>
    public IList<string>? Statuses { get; set; }

    /// <summary>Active statuses the start-up reset fails, whatever their age. Default: Running, Scheduled.</summary>
    public IList<string>? StartupStatuses { get; set; }
}
