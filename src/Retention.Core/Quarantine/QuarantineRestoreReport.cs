namespace Retention.Quarantine;

/// <summary>What <see cref="IJobQuarantine.RestoreAsync"/> put back.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Restored">Original paths that were put back.</param>
/// <param name="Conflicts">Original paths that exist again; their quarantined copies stay where they are (and are purged after the grace period).</param>
/// <param name="Failures">Paths refused (a link on the way) or that failed to move; they stay in the quarantine.</param>
public sealed record QuarantineRestoreReport(string JobId, IReadOnlyList<string> Restored, IReadOnlyList<string> Conflicts, IReadOnlyList<QuarantineFailure> Failures)
{
    /// <summary>Whether everything of the job in the quarantine was put back.</summary>
    public bool Succeeded => Conflicts.Count == 0 && Failures.Count == 0;
}
