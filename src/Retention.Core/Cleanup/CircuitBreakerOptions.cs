namespace Retention.Cleanup;

/// <summary>
/// Limits on what one run may delete (configuration section <c>JobCleanup:CircuitBreaker</c>), against a mistaken policy
/// or clock that would suddenly make most data due. When a run reaches a limit it stops before its next job, records what
/// it finished, and ends with <see cref="Cleanup.CleanupOutcome.LimitReached"/>, which the health check and the tool's
/// exit code report; the next run goes on from there. The absolute limits are off by default; the relative one (ten times
/// the median of the last runs) is on once there are five runs to take a median of.
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

    /// <summary>
    /// The most jobs one run cleans, as a multiple of the median cleaned by the last ten completed runs that cleaned
    /// something and were not dry runs: a rule that suddenly matches everything is caught whatever the site's size.
    /// Applies once five such runs are in the history (so a first run over a backlog is not stopped), never below
    /// <see cref="RelativeLimitFloor"/>; needs a store with run history. <see cref="CleanupRequest.ConfirmMassDeletion"/> lets one run past it. Default 10;
    /// <see langword="null"/> (a blank value in configuration) turns it off.
    /// </summary>
    public double? MaxTimesMedianOfRecentRuns { get; set; } = 10;

    /// <summary>The lowest limit <see cref="MaxTimesMedianOfRecentRuns"/> sets, in jobs, so runs that usually clean little are not stopped for cleaning a few more. Default 20.</summary>
    public int RelativeLimitFloor { get; set; } = 20;

    /// <summary>
    /// The most jobs one run cleans, as a share (0 to 1) of the jobs whose data the store holds when the run starts; needs a
    /// store that reports its usage (<see cref="Stores.IStorageUsageStore"/>). <see cref="CleanupRequest.ConfirmMassDeletion"/>
    /// lets one run past it. Off (<see langword="null"/>) by default.
    /// </summary>
    public double? MaxShareOfStoredJobs { get; set; }
}
