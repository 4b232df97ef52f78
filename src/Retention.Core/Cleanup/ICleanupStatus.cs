namespace Retention.Cleanup;

/// <summary>
/// What the cleanup engine is doing, for status endpoints, dashboards and health checks: the run in progress and its
/// progress, the last report, the last error, the next scheduled run. Every run of this process's <see cref="IJobCleaner"/> is tracked.
/// </summary>
public interface ICleanupStatus
{
    /// <summary>A consistent snapshot of the status.</summary>
    /// <returns>The snapshot.</returns>
    CleanupStatusSnapshot GetSnapshot();
}
