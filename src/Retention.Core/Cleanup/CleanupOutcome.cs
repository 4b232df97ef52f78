namespace Retention.Cleanup;

/// <summary>How a cleanup run ended.</summary>
public enum CleanupOutcome
{
    /// <summary>Every candidate was processed. Jobs that could not be cleaned are counted in <see cref="CleanupStats.JobsFailed"/>.</summary>
    Completed,

    /// <summary>Cancellation stopped the run between jobs; the jobs finished by then are recorded.</summary>
    Cancelled,

    /// <summary>Another run was in progress, so this one did not start.</summary>
    AlreadyRunning,

    /// <summary>The run stopped on an error (see <see cref="CleanupReport.Error"/>); the jobs finished by then are recorded.</summary>
    Failed,

    /// <summary>
    /// The run reached a <see cref="CircuitBreakerOptions"/> limit and stopped before its next job (see <see cref="CleanupReport.Error"/>);
    /// the jobs finished by then are recorded, and the next run goes on.
    /// </summary>
    LimitReached,
}
