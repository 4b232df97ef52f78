using Retention.Policies;

namespace Retention.Cleanup;

/// <summary>One job in a run's report.</summary>
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
    // The engine hands over the decision, not its words: most reasons in a large run are never read (see DecisionWords).
    // A detail the report keeps is settled first, so it does not hold the decision (and the job record) for the run.
    private JobRetentionDecision? _decision;
    private string? _reason = Reason;

    internal JobCleanupDetail(JobRetentionDecision decision, JobCleanupOutcome outcome, long bytesFreed, bool recordPurged, IReadOnlyList<ArtifactCleanupResult> artifacts)
        : this(decision.Job.Id, decision.Job.JobType, decision.Job.Status, decision.Age, outcome, bytesFreed, recordPurged, null!, artifacts)
    {
        _decision = decision;
    }

    /// <summary>The policy's reason, in words.</summary>
    public string Reason
    {
        get => _reason ??= _decision?.Reason ?? string.Empty;
        init => (_reason, _decision) = (value, null);
    }

    /// <summary>Formats the reason now and lets the decision go: for a detail kept in a report.</summary>
    internal JobCleanupDetail Settled()
    {
        _ = Reason;
        _decision = null;
        return this;
    }

    /// <summary>The age in days, rounded to one decimal.</summary>
    public double AgeDays => Math.Round(Age.TotalDays, 1);

    /// <summary>Whether <paramref name="other"/> describes the same job the same way (the reason compared by its words).</summary>
    /// <param name="other">The other detail.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(JobCleanupDetail? other) =>
        other is not null && JobId == other.JobId && JobType == other.JobType && Status == other.Status && Age == other.Age && Outcome == other.Outcome
        && BytesFreed == other.BytesFreed && RecordPurged == other.RecordPurged && Reason == other.Reason && Equals(Artifacts, other.Artifacts);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(JobId, JobType, Status, Age, Outcome, BytesFreed, RecordPurged, Artifacts);
}
