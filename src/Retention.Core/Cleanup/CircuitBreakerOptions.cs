namespace Retention.Cleanup;

/// <summary>
/// Limits on what one run may delete (configuration section <c>JobCleanup:CircuitBreaker</c>), against a mistaken policy
/// or clock that would suddenly make most data due. When a run reaches a limit it stops before its next job, records what
/// it finished, and ends with <see cref="Cleanup.CleanupOutcome.LimitReached"/>, which the health check and the tool's
/// exit code report; the next run goes on from there. Off (no limit) by default.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>The most jobs one run cleans; <see langword="null"/> for no limit.</summary>
    public int? MaxJobsPerRun { get; set; }

    /// <summary>
    /// The most bytes one run frees (or, with staged deletion, moves to the quarantine); <see langword="null"/> for no limit.
    /// Jobs already being deleted when it is reached finish, so a run can go past it by up to <c>MaxParallelDeletions</c> jobs.
    /// </summary>
    public long? MaxBytesPerRun { get; set; }
}
