namespace Retention.Reaping;

/// <summary>Fails jobs that can no longer finish: stuck at run time, or left behind by a process that died.</summary>
public interface IStaleJobReaper
{
    /// <summary>
    /// Fails active jobs that started longer ago than the execution timeout plus the buffer, with a message that names how long it ran
    /// ("Execution stuck for 0:07:42. Automatically terminated by cleanup job.") and a completion time.
    /// A job that completed between the scan and the update is left alone.
    /// </summary>
    /// <param name="cancellationToken">Stops between jobs.</param>
    /// <returns>What was failed.</returns>
    Task<ReapReport> ReapStuckJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Start-up mode: fails every job a previous process left running or scheduled, whatever its age, with an error that says
    /// why ("Job reset during startup ..."). Call it before the host accepts work.
    /// </summary>
    /// <param name="cancellationToken">Stops between jobs.</param>
    /// <returns>What was failed.</returns>
    Task<ReapReport> ReapAtStartupAsync(CancellationToken cancellationToken = default);
}
