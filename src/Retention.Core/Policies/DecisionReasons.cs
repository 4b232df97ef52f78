using System.Globalization;

namespace Retention.Policies;

/// <summary>Turns a decision into the sentence a person reads in logs, previews and reports.</summary>
internal static class DecisionReasons
{
    public static string Describe(JobRecord job, ArtifactKind? kind, DateTimeOffset now, DecisionBasis basis, RetentionRule? rule, DateTimeOffset? dueAt)
    {
        var status = job.Status.ToWord();
        var finished = $"{status} {RetentionPeriod.Describe(now - job.FinishedAt)} ago";
        var what = rule is null ? "data" : rule.CoverageWords(kind);
        var type = job.JobType is null ? string.Empty : $" {job.JobType}";
        return basis switch
        {
            DecisionBasis.ActiveJob when job.UnmappedStatus is { } word => $"the status '{word}' is mapped to no status, so the job is never cleaned; add the word to the store's StatusNames",
            DecisionBasis.ActiveJob => $"{status}; active jobs are never cleaned",
            DecisionBasis.Pinned => DescribeHold(job, now),
            DecisionBasis.NoRule => kind is null
                ? $"no rule selects {status}{type} jobs; kept"
                : $"no rule covers {kind.Value.Plural} of {status}{type} jobs; kept",
            DecisionBasis.KeptForever => $"{what} of {status}{type} jobs kept forever (rule '{rule?.Name}')",
            DecisionBasis.WithinAge => $"{finished}; {what} kept {rule?.Period} (due in {RetentionPeriod.Describe(dueAt.GetValueOrDefault() - now)})",
            DecisionBasis.AgeElapsed => $"{finished}; {what} kept {rule?.Period}",
            DecisionBasis.Immediately => $"{finished}; {what} deleted immediately",
            DecisionBasis.WithinNewest => $"one of the newest {rule?.Period.Count}{type} {status} jobs; {what} kept",
            DecisionBasis.BeyondNewest => $"{job.NewerJobsOfSameType} newer{type} {status} jobs; {what} kept for the newest {rule?.Period.Count}",
            DecisionBasis.UnknownRank => $"the store did not rank the job; '{rule?.Name}' keeps the newest {rule?.Period.Count}, so it is kept",
            _ => basis.ToString(),
        };
    }

    /// <summary>The hold that keeps a job, in words: who, until when, why (and how many others there are).</summary>
    public static string DescribeHold(JobRecord job, DateTimeOffset now)
    {
        if (job.HoldAt(now) is not { } hold)
        {
            return "held";
        }

        var until = hold.Until is null ? string.Empty : " until " + hold.Until.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var others = job.Holds.Count(h => h.IsInForceAt(now)) - 1;
        var more = others switch { 0 => string.Empty, 1 => " (and 1 more hold)", _ => $" (and {others} more holds)" };
        return $"held by {hold.Owner}{until}: {hold.Reason}{more}";
    }
}
