namespace Retention.Policies;

/// <summary>
/// What a decision's reason says, kept as its parts until someone reads it: a run over a million jobs reads few of their
/// reasons (the tool prints them only in <c>explain</c> and in logs at Information), and formatting each cost a tenth of the run.
/// </summary>
internal readonly record struct DecisionWords(DecisionBasis Basis, RetentionRule? Rule, DateTimeOffset? DueAt, ArtifactKind? Kind = null, string Suffix = "")
{
    /// <summary>The words for an artifact's decision.</summary>
    public static DecisionWords Of(ArtifactDecision decision) => new(decision.Basis, decision.Rule, decision.DueAt, decision.Artifact.Kind);

    /// <summary>The sentence, as <see cref="DecisionReasons.Describe"/> writes it.</summary>
    public string Format(JobRecord job, DateTimeOffset now) => DecisionReasons.Describe(job, Kind, now, Basis, Rule, DueAt) + Suffix;
}
