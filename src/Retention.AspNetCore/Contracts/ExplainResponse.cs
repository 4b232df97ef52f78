using Retention.Policies;

namespace Retention.AspNetCore.Contracts;

/// <summary><c>GET jobs/{id}</c>: the decision a run would make for one job now: its protection and hold, and each artifact's fate and why.</summary>
internal sealed record ExplainResponse(
    string JobId,
    string Status,
    string? JobType,
    DateTimeOffset FinishedAt,
    DateTimeOffset? DataCleanedAt,
    double AgeDays,
    JobProtection Protection,
    HoldSummary? Hold,
    bool IsDue,
    DateTimeOffset? NextDueAt,
    bool PurgeRecord,
    string? DecidingRule,
    string Reason,
    IReadOnlyList<ArtifactFate> Artifacts)
{
    public static ExplainResponse From(JobRetentionDecision decision)
    {
        var job = decision.Job;
        return new(
            job.Id,
            job.UnmappedStatus ?? job.Status.ToWord(),
            job.JobType,
            job.FinishedAt,
            job.DataCleanedAt,
            Math.Round(decision.Age.TotalDays, 2),
            decision.Protection,
            job.Holds.Count > 0 ? new(job.Holds[0].Owner, job.Holds[0].Reason, job.Holds[0].Until) : null,
            decision.IsDue,
            decision.NextDueAt,
            decision.PurgeRecord,
            decision.DecidingRule?.Name,
            decision.Reason,
            [.. decision.Artifacts.Select(a => new ArtifactFate(a.Artifact.Kind.Name, a.Artifact.Path, a.Artifact.SizeBytes, a.Verdict, a.Basis, a.Rule?.Name, a.DueAt, a.Reason))]);
    }
}

/// <summary>The first of a job's holds in force: who placed it, why, and until when (none: until released).</summary>
internal sealed record HoldSummary(string PinnedBy, string Reason, DateTimeOffset? Until);

/// <summary>One artifact's fate: kept or deleted, on what basis, by which rule, due when, and why in words.</summary>
internal sealed record ArtifactFate(string Kind, string Path, long? Bytes, ArtifactVerdict Verdict, DecisionBasis Basis, string? Rule, DateTimeOffset? DueAt, string Reason);
