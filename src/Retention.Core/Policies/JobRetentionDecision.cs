namespace Retention.Policies;

/// <summary>The policy's decision for one job: one <see cref="ArtifactDecision"/> per artifact, the record's fate, and a reason.</summary>
public sealed class JobRetentionDecision
{
    private readonly DecisionWords _words;
    private string? _reason;

    internal JobRetentionDecision(JobRecord job, DateTimeOffset evaluatedAt, JobProtection protection, ArtifactDecision[] artifacts, bool isDue, bool purgeRecord, RetentionRule? decidingRule, string reason)
        : this(job, evaluatedAt, protection, artifacts, isDue, purgeRecord, decidingRule, default(DecisionWords))
    {
        _reason = reason;
    }

    internal JobRetentionDecision(JobRecord job, DateTimeOffset evaluatedAt, JobProtection protection, ArtifactDecision[] artifacts, bool isDue, bool purgeRecord, RetentionRule? decidingRule, DecisionWords words)
    {
        _words = words;
        Job = job;
        EvaluatedAt = evaluatedAt;
        Protection = protection;
        Artifacts = artifacts;
        IsDue = isDue;
        PurgeRecord = purgeRecord;
        DecidingRule = decidingRule;
        foreach (var decision in artifacts)
        {
            HasDueArtifacts |= decision.Verdict == ArtifactVerdict.Delete;
            HasPendingArtifacts |= decision.IsPending;
            if (decision.IsPending && decision.DueAt is { } due && (NextDueAt is null || due < NextDueAt))
            {
                NextDueAt = due;
            }
        }
    }

    /// <summary>The job evaluated.</summary>
    public JobRecord Job { get; }

    /// <summary>The time the decision was made for.</summary>
    public DateTimeOffset EvaluatedAt { get; }

    /// <summary>How old the job is, measured from <see cref="JobRecord.FinishedAt"/>.</summary>
    public TimeSpan Age => EvaluatedAt - Job.FinishedAt;

    /// <summary>Whether, and why, the job is out of every rule's reach.</summary>
    public JobProtection Protection { get; }

    /// <summary>One decision per artifact, in the job's artifact order.</summary>
    public IReadOnlyList<ArtifactDecision> Artifacts { get; }

    /// <summary>Whether at least one rule that selects the job has run out (true even for a job with no artifacts).</summary>
    public bool IsDue { get; }

    /// <summary>Whether at least one artifact is to be deleted now.</summary>
    public bool HasDueArtifacts { get; }

    /// <summary>Whether some artifact is kept now that a rule will delete later.</summary>
    public bool HasPendingArtifacts { get; }

    /// <summary>The earliest time a kept artifact becomes due, if any.</summary>
    public DateTimeOffset? NextDueAt { get; }

    /// <summary>Whether the record is purged once every artifact is gone.</summary>
    public bool PurgeRecord { get; }

    /// <summary>The rule that decided the job's fate (the longest-keeping rule among those that ran out), recorded in the tombstone.</summary>
    public RetentionRule? DecidingRule { get; }

    /// <summary>The reason in words, such as "succeeded 8.2 days ago; outputs kept 7 days".</summary>
    public string Reason => _reason ??= _words.Format(Job, EvaluatedAt); // formatted on first read: most are never read
}
