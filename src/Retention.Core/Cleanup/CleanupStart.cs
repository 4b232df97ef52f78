namespace Retention.Cleanup;

/// <summary>What <see cref="IJobCleaner.Start"/> did: started a run in the background, or found one in progress.</summary>
/// <param name="Started">Whether a run started.</param>
/// <param name="Completion">When started: completes with the run's report (it never faults; errors are in the report).</param>
/// <param name="Running">When not started: the run in progress, with its progress.</param>
public sealed record CleanupStart(bool Started, Task<CleanupReport>? Completion, CleanupRunProgress? Running)
{
    /// <summary>When started: the run's id, known before it finishes (for audit, or to look it up in the history later).</summary>
    public string? RunId { get; init; }
}
