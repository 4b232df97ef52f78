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

    /// <summary>
    /// Starts a run in the background and returns at once: either the started run's completion, or (when a run is in
    /// progress, whoever started it) that run and its progress, so an endpoint can answer "already running" without waiting.
    /// Claiming the run is atomic with the status: <see cref="ICleanupStatus"/> shows it as running before this returns.
    /// </summary>
    /// <param name="request">Dry run or not, an optional policy override, who asked.</param>
    /// <param name="cancellationToken">Stops the run between jobs (a host passes its stopping token, not a request's).</param>
    /// <returns>Whether it started, and how to await it.</returns>
    CleanupStart Start(CleanupRequest request, CancellationToken cancellationToken = default);
}
