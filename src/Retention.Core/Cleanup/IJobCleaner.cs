namespace Retention.Cleanup;

/// <summary>Runs cleanups: streams candidates from the store, applies the policy, deletes through the safe deleter, records what is gone.</summary>
public interface IJobCleaner
{
    /// <summary>
    /// Runs one cleanup. Only one run is in progress per process: a second caller gets a report with
    /// <see cref="CleanupOutcome.AlreadyRunning"/> at once. Cancellation stops between jobs; every job finished by then is recorded.
    /// Errors are reported in the result, not thrown.
    /// </summary>
    /// <param name="request">Dry run or not, an optional policy override, who asked.</param>
    /// <param name="progress">Receives a snapshot after each batch.</param>
    /// <param name="cancellationToken">Stops the run between jobs.</param>
    /// <returns>The report.</returns>
    Task<CleanupReport> RunAsync(CleanupRequest request, IProgress<CleanupProgress>? progress = null, CancellationToken cancellationToken = default);
}
