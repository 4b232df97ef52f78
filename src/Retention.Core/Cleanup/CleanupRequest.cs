using Retention.Policies;

namespace Retention.Cleanup;

/// <summary>What a caller asks of one cleanup run.</summary>
public sealed record CleanupRequest
{
    /// <summary>A real run with the configured policy.</summary>
    public static CleanupRequest Default { get; } = new();

    /// <summary>A dry run with the configured policy.</summary>
    public static CleanupRequest Preview { get; } = new() { DryRun = true };

    /// <summary>Measure and report, delete nothing, record nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Lets this run go past the relative limits (<see cref="CircuitBreakerOptions.MaxTimesMedianOfRecentRuns"/>,
    /// <see cref="CircuitBreakerOptions.MaxShareOfStoredJobs"/>): an operator who has seen what the run will delete and means
    /// it. The absolute limits still apply.
    /// </summary>
    public bool ConfirmMassDeletion { get; init; }

    /// <summary>A policy for this run only (a request's own retention hours); <see langword="null"/> uses the configured one.</summary>
    public RetentionPolicy? Policy { get; init; }

    /// <summary>What started the run (<c>manual</c>, <c>schedule</c>, <c>http</c>, <c>cli</c>, <c>startup</c>), for logs and audit.</summary>
    public string Trigger { get; init; } = "manual";

    /// <summary>Who asked for the run, for audit.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Where the request came from (a remote IP address), for audit.</summary>
    public string? RequestedFrom { get; init; }

    /// <summary>
    /// The leader lease this run holds (the hosted schedule sets it when an <see cref="Coordination.ICleanupLeaderLock"/> is
    /// registered). Losing it stops the run before its next job; its fencing token is passed to the store's claims.
    /// </summary>
    public Coordination.ICleanupLease? Lease { get; init; }

    /// <summary>
    /// Receives each job the run acted on (cleaned, partly cleaned, failed or protected: what <see cref="CleanupReport.Jobs"/>
    /// lists) as soon as its batch is recorded, in the order the store streamed them, whether or not the report keeps it.
    /// A command-line tool prints from here, so a run over a million jobs never holds their details. Called on the run's own
    /// flow, one job at a time; a callback that throws is logged, not the run's end.
    /// </summary>
    public IProgress<JobCleanupDetail>? JobFinished { get; init; }
}
