namespace Retention.Cleanup;

/// <summary>The run in progress: who started it, and how far it is.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="RequestedBy">Who asked for it, if known.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="Progress">The latest progress snapshot.</param>
/// <param name="Candidates">Candidates the store counted at the start, when it can count (<see cref="Stores.ICleanupCandidateCounter"/>).</param>
public sealed record CleanupRunProgress(string RunId, string Trigger, string? RequestedBy, DateTimeOffset StartedAt, CleanupProgress Progress, long? Candidates)
{
    /// <summary>Percent of the candidates scanned (0 to 100), when the total is known.</summary>
    public double? PercentComplete => Progress.Stage == CleanupStage.Finished
        ? 100
        : Candidates is > 0 and var total ? Math.Min(100, 100.0 * Progress.JobsScanned / total) : Candidates == 0 ? 100 : null;
}
