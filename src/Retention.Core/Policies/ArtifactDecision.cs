namespace Retention.Policies;

/// <summary>
/// The policy's decision for one artifact of one job, with the reason in words.
/// A struct, and the reason is only formatted when read, so deciding allocates nothing.
/// </summary>
public readonly struct ArtifactDecision
{
    private readonly JobRecord _job;
    private readonly DateTimeOffset _now;

    internal ArtifactDecision(JobRecord job, JobArtifact artifact, DateTimeOffset now, ArtifactVerdict verdict, DecisionBasis basis, RetentionRule? rule, DateTimeOffset? dueAt)
    {
        _job = job;
        _now = now;
        Artifact = artifact;
        Verdict = verdict;
        Basis = basis;
        Rule = rule;
        DueAt = dueAt;
    }

    /// <summary>The artifact decided on.</summary>
    public JobArtifact Artifact { get; }

    /// <summary>Keep or delete.</summary>
    public ArtifactVerdict Verdict { get; }

    /// <summary>Why.</summary>
    public DecisionBasis Basis { get; }

    /// <summary>The rule that decided: of all rules covering the artifact, the one that keeps it longest.</summary>
    public RetentionRule? Rule { get; }

    /// <summary>When the artifact becomes (or became) due, for age-based decisions.</summary>
    public DateTimeOffset? DueAt { get; }

    /// <summary>Whether the artifact is kept now but a rule will delete it later.</summary>
    public bool IsPending => Verdict == ArtifactVerdict.Keep && Basis is DecisionBasis.WithinAge or DecisionBasis.WithinNewest or DecisionBasis.UnknownRank;

    /// <summary>The reason in words, such as "succeeded 8.2 days ago; outputs kept 7 days".</summary>
    public string Reason => DecisionReasons.Describe(_job, Artifact.Kind, _now, Basis, Rule, DueAt);

    /// <inheritdoc />
    public override string ToString() => $"{Verdict} {Artifact.Path}: {Reason}";
}
