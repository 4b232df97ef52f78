namespace Retention.Stores;

/// <summary>The tombstone a cleanup run records for a job whose data is gone: when, how many bytes, and which rule fired.</summary>
/// <param name="JobId">The job.</param>
/// <param name="ExpectedStatus">The status the job was planned in; a store should not mark a job whose status has changed since.</param>
/// <param name="CleanedAt">When the data went (UTC).</param>
/// <param name="BytesFreed">Bytes freed by this run; data moved to the quarantine is not freed yet and not counted.</param>
/// <param name="ArtifactsDeleted">Artifacts deleted, quarantined or found already gone by this run.</param>
/// <param name="RuleName">The rule that decided, if any.</param>
/// <param name="CleanedBy">Who asked for the run (for audit); <see langword="null"/> for automatic runs.</param>
public sealed record JobDataCleaned(string JobId, JobStatus ExpectedStatus, DateTimeOffset CleanedAt, long BytesFreed, int ArtifactsDeleted, string? RuleName, string? CleanedBy = null)
{
    /// <summary>
    /// The row version the job was planned in (<see cref="JobRecord.Version"/>); a store that keeps versions leaves a job
    /// whose version has changed since unmarked. <see langword="null"/> when the store keeps none.
    /// </summary>
    public long? ExpectedVersion { get; init; }
}
