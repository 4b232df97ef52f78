namespace Retention.Cleanup;

/// <summary>One job in a run's report: the seed's <c>details</c> entry and more.</summary>
/// <param name="JobId">The job.</param>
/// <param name="JobType">Its type, if any.</param>
/// <param name="Status">Its status.</param>
/// <param name="Age">Time since it finished.</param>
/// <param name="Outcome">What the run did.</param>
/// <param name="BytesFreed">Bytes freed (or, in a dry run, that would be); bytes moved to the quarantine are not freed yet and not counted.</param>
/// <param name="RecordPurged">Whether the record was deleted too.</param>
/// <param name="Reason">The policy's reason, in words.</param>
/// <param name="Artifacts">Each artifact the run touched.</param>
public sealed record JobCleanupDetail(
    string JobId,
    string? JobType,
    JobStatus Status,
    TimeSpan Age,
    JobCleanupOutcome Outcome,
    long BytesFreed,
    bool RecordPurged,
    string Reason,
    IReadOnlyList<ArtifactCleanupResult> Artifacts)
{
    /// <summary>The age in days, rounded to one decimal as the seed reports it.</summary>
    public double AgeDays => Math.Round(Age.TotalDays, 1);
}
