namespace Retention.Quarantine;

/// <summary>What <see cref="IJobQuarantine.PurgeExpiredAsync"/> deleted.</summary>
/// <param name="EntriesDeleted">Quarantined paths deleted (as <see cref="IJobQuarantine.ListAsync"/> counts them).</param>
/// <param name="BytesFreed">Bytes freed, counted in the walk that deleted them.</param>
/// <param name="Failures">Stamp folders that were refused or could not be deleted; they are tried again by the next purge.</param>
public sealed record QuarantinePurgeReport(long EntriesDeleted, long BytesFreed, IReadOnlyList<QuarantineFailure> Failures)
{
    /// <summary>Whether everything expired was deleted.</summary>
    public bool Succeeded => Failures.Count == 0;
}
