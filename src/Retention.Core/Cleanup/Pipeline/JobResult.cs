using Retention.Deletion;
using Retention.Policies;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// What became of one candidate: the policy's decision when there is one, or the reason it never got that far (not due
/// yet, changed since it was planned, the circuit breaker, an error), the artifacts touched, and whether to mark it.
/// </summary>
internal sealed class JobResult
{
    private readonly string? _reason;

    private JobResult(JobRecord job, JobRetentionDecision? decision, string? reason, JobCleanupOutcome outcome, List<ArtifactCleanupResult> artifacts, bool mark)
    {
        Job = job;
        Decision = decision;
        _reason = reason;
        Outcome = outcome;
        Artifacts = artifacts;
        Mark = mark;
    }

    public JobRecord Job { get; }

    /// <summary>The policy's decision; <see langword="null"/> when the job was set aside before or without one.</summary>
    public JobRetentionDecision? Decision { get; }

    public JobCleanupOutcome Outcome { get; }

    public List<ArtifactCleanupResult> Artifacts { get; }

    /// <summary>Whether every due artifact is gone, so the store is told (only ever with a decision).</summary>
    public bool Mark { get; }

    /// <summary>Whether the policy also deletes the job's record.</summary>
    public bool PurgeRecord => Mark && Decision!.PurgeRecord;

    /// <summary>The outcome of the policy's decision.</summary>
    public static JobResult Decided(JobRetentionDecision decision, JobCleanupOutcome outcome, List<ArtifactCleanupResult> artifacts, bool mark) =>
        new(decision.Job, decision, null, outcome, artifacts, mark);

    /// <summary>Left alone this run, for <paramref name="reason"/>.</summary>
    public static JobResult Skipped(JobRecord job, string reason) => new(job, null, reason, JobCleanupOutcome.Skipped, [], mark: false);

    /// <summary>Could not be cleaned, for <paramref name="reason"/>.</summary>
    public static JobResult Failed(JobRecord job, string reason, List<ArtifactCleanupResult> artifacts) => new(job, null, reason, JobCleanupOutcome.Failed, artifacts, mark: false);

    /// <summary>Bytes really freed: what went to the quarantine still takes its space until the quarantine is purged.</summary>
    public long BytesFreed()
    {
        long bytes = 0;
        foreach (var artifact in Artifacts)
        {
            bytes += artifact.Outcome == DeletionOutcome.Quarantined ? 0 : artifact.Bytes;
        }

        return bytes;
    }

    /// <summary>The report's line for this job (its reason formatted only when read).</summary>
    public JobCleanupDetail ToDetail(DateTimeOffset now) =>
        Decision is { } decision
            ? new JobCleanupDetail(decision, Outcome, BytesFreed(), PurgeRecord, Artifacts)
            : new JobCleanupDetail(Job.Id, Job.JobType, Job.Status, now - Job.FinishedAt, Outcome, BytesFreed(), false, _reason!, Artifacts);
}
