namespace Retention.Policies;

/// <summary>Why the policy decided as it did; <see cref="ArtifactDecision.Reason"/> puts it in words.</summary>
public enum DecisionBasis
{
    /// <summary>The job is pending, scheduled or running: active jobs are never touched.</summary>
    ActiveJob,

    /// <summary>A hold is in force on the job.</summary>
    Pinned,

    /// <summary>No rule covers this kind of artifact of this job: it is kept.</summary>
    NoRule,

    /// <summary>The longest covering rule keeps it forever.</summary>
    KeptForever,

    /// <summary>The retention age has not yet run out.</summary>
    WithinAge,

    /// <summary>The retention age has run out.</summary>
    AgeElapsed,

    /// <summary>The rule deletes as soon as the job has finished.</summary>
    Immediately,

    /// <summary>The job is among the newest N that a keep-last rule keeps.</summary>
    WithinNewest,

    /// <summary>The job is older than the newest N that a keep-last rule keeps.</summary>
    BeyondNewest,

    /// <summary>A keep-last rule applies but the store did not rank the job, so it is kept.</summary>
    UnknownRank,
}
