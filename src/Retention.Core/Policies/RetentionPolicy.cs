namespace Retention.Policies;

/// <summary>
/// An immutable set of retention rules and the precedence that combines them:
/// <list type="number">
/// <item>Protection wins: pending, scheduled and running jobs, and jobs under a hold, are never touched.</item>
/// <item>An artifact no rule covers is kept (metadata and uncovered data are kept forever).</item>
/// <item>Between rules covering one artifact the longest retention wins: forever beats keep-newest-N, which beats any age; the later due time beats the earlier.</item>
/// <item>The record is purged only when a due purge rule selects the job and every artifact is deleted.</item>
/// </list>
/// </summary>
public sealed class RetentionPolicy
{
    private const long KeptForever = long.MaxValue;
    private const long KeptWhileNewest = long.MaxValue - 1;
    private const long DueByRank = long.MinValue + 1;

    private readonly RetentionRule[] _rules;

    internal RetentionPolicy(RetentionRule[] rules)
    {
        _rules = rules;
        var deleting = rules.Where(r => r.Period.Kind != RetentionPeriodKind.Forever).ToArray();
        CandidateStatuses = deleting.SelectMany(r => r.Statuses).Distinct().Order().ToArray();
        ShortestRetention = deleting.Length == 0
            ? TimeSpan.MaxValue
            : deleting.Min(r => r.Period.Kind == RetentionPeriodKind.After ? r.Period.Age : TimeSpan.Zero);
    }

    /// <summary>The defaults: succeeded jobs' inputs and outputs after 168 hours, failed and cancelled jobs' data after 12 hours, active jobs never, metadata forever.</summary>
    public static RetentionPolicy Default { get; } = CreateBuilder().AddDefaults(TimeSpan.FromHours(168), TimeSpan.FromHours(12)).Build();

    /// <summary>The rules, in the order they were added.</summary>
    public IReadOnlyList<RetentionRule> Rules => _rules;

    /// <summary>The statuses that some rule may delete data of; the candidate query selects only these.</summary>
    public IReadOnlyList<JobStatus> CandidateStatuses { get; }

    /// <summary>The shortest age after which any rule may delete (zero with keep-newest-N or immediate rules; <see cref="TimeSpan.MaxValue"/> when no rule ever deletes).</summary>
    public TimeSpan ShortestRetention { get; }

    /// <summary>The shortest age after which a rule selecting <paramref name="status"/> may delete (zero with keep-newest-N or immediate rules).</summary>
    internal TimeSpan ShortestRetentionOf(JobStatus status)
    {
        var shortest = TimeSpan.MaxValue;
        foreach (var rule in _rules)
        {
            if (rule.Period.Kind != RetentionPeriodKind.Forever && rule.Statuses.Contains(status))
            {
                var age = rule.Period.Kind == RetentionPeriodKind.After ? rule.Period.Age : TimeSpan.Zero;
                shortest = age < shortest ? age : shortest;
            }
        }

        return shortest;
    }

    /// <summary>Starts a policy.</summary>
    /// <returns>A builder.</returns>
    public static RetentionPolicyBuilder CreateBuilder() => new();

    /// <summary>Decides every artifact of <paramref name="job"/> at <paramref name="now"/>.</summary>
    /// <param name="job">The job, with its artifacts.</param>
    /// <param name="now">The time of evaluation.</param>
    /// <returns>The decision, with a reason.</returns>
    public JobRetentionDecision Evaluate(JobRecord job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var artifacts = job.Artifacts;
        var decisions = artifacts.Count == 0 ? [] : new ArtifactDecision[artifacts.Count];
        for (var i = 0; i < decisions.Length; i++)
        {
            decisions[i] = Decide(job, artifacts[i], now);
        }

        var protection = ProtectionOf(job, now);
        if (protection != JobProtection.None)
        {
            var basis = protection == JobProtection.Active ? DecisionBasis.ActiveJob : DecisionBasis.Pinned;
            return new JobRetentionDecision(job, now, protection, decisions, false, false, null, new DecisionWords(basis, null, null));
        }

        // Job level, artifact kinds aside: is any selecting rule due, and which keeps longest among them?
        var nowTicks = now.UtcTicks;
        RetentionRule? longest = null;
        var longestUntil = long.MinValue;
        RetentionRule? longestDue = null;
        var longestDueUntil = long.MinValue;
        var purgeRuleDue = false;
        foreach (var rule in _rules)
        {
            if (!rule.Selects(job))
            {
                continue;
            }

            var until = KeepUntil(rule, job);
            if (longest is null || until > longestUntil)
            {
                (longest, longestUntil) = (rule, until);
            }

            if (until <= nowTicks)
            {
                purgeRuleDue |= rule.Action == RetentionAction.PurgeRecord;
                if (longestDue is null || until > longestDueUntil)
                {
                    (longestDue, longestDueUntil) = (rule, until);
                }
            }
        }

        var allDeleted = decisions.All(d => d.Verdict == ArtifactVerdict.Delete);
        var isDue = longestDue is not null;
        var reason = Summarize(job, now, decisions, longest, longestUntil);
        return new JobRetentionDecision(job, now, JobProtection.None, decisions, isDue, purgeRuleDue && allDeleted, longestDue, reason);
    }

    /// <summary>
    /// Whether any artifact of <paramref name="job"/> could be due at <paramref name="now"/>, before its artifacts are known:
    /// false when the job is unprotected and no rule that selects it has run out, since an artifact is only ever deleted by
    /// such a rule. The engine skips these without touching the disk; it allocates nothing.
    /// </summary>
    internal bool MayBeDue(JobRecord job, DateTimeOffset now)
    {
        if (ProtectionOf(job, now) != JobProtection.None)
        {
            return true; // decided (and reported) in full
        }

        var nowTicks = now.UtcTicks;
        foreach (var rule in _rules)
        {
            if (rule.Selects(job) && KeepUntil(rule, job) <= nowTicks)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decides one artifact of <paramref name="job"/> at <paramref name="now"/>. Allocates nothing; the reason is formatted only when read.</summary>
    /// <param name="job">The job.</param>
    /// <param name="artifact">One of its artifacts.</param>
    /// <param name="now">The time of evaluation.</param>
    /// <returns>The decision.</returns>
    public ArtifactDecision Decide(JobRecord job, JobArtifact artifact, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(artifact);
        switch (ProtectionOf(job, now))
        {
            case JobProtection.Active:
                return new ArtifactDecision(job, artifact, now, ArtifactVerdict.Keep, DecisionBasis.ActiveJob, null, null);
            case JobProtection.Pinned:
                return new ArtifactDecision(job, artifact, now, ArtifactVerdict.Keep, DecisionBasis.Pinned, null, null);
        }

        RetentionRule? best = null;
        var bestUntil = long.MinValue;
        foreach (var rule in _rules)
        {
            if (!rule.Covers(artifact.Kind) || !rule.Selects(job))
            {
                continue;
            }

            var until = KeepUntil(rule, job);
            if (best is null || until > bestUntil)
            {
                (best, bestUntil) = (rule, until);
            }
        }

        if (best is null)
        {
            return new ArtifactDecision(job, artifact, now, ArtifactVerdict.Keep, DecisionBasis.NoRule, null, null);
        }

        switch (bestUntil)
        {
            case KeptForever:
                return new ArtifactDecision(job, artifact, now, ArtifactVerdict.Keep, DecisionBasis.KeptForever, best, null);
            case KeptWhileNewest:
                var basis = job.NewerJobsOfSameType is null ? DecisionBasis.UnknownRank : DecisionBasis.WithinNewest;
                return new ArtifactDecision(job, artifact, now, ArtifactVerdict.Keep, basis, best, null);
            case DueByRank:
                return new ArtifactDecision(job, artifact, now, ArtifactVerdict.Delete, DecisionBasis.BeyondNewest, best, null);
        }

        var dueAt = new DateTimeOffset(bestUntil, TimeSpan.Zero);
        if (bestUntil > now.UtcTicks)
        {
            return new ArtifactDecision(job, artifact, now, ArtifactVerdict.Keep, DecisionBasis.WithinAge, best, dueAt);
        }

        var elapsed = best.Period.IsImmediate ? DecisionBasis.Immediately : DecisionBasis.AgeElapsed;
        return new ArtifactDecision(job, artifact, now, ArtifactVerdict.Delete, elapsed, best, dueAt);
    }

    /// <summary>Whether, and why, the job is out of every rule's reach at <paramref name="now"/>.</summary>
    /// <param name="job">The job.</param>
    /// <param name="now">The time of evaluation.</param>
    /// <returns>The protection.</returns>
    public static JobProtection ProtectionOf(JobRecord job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Status.IsActive())
        {
            return JobProtection.Active;
        }

        return job.IsPinnedAt(now) ? JobProtection.Pinned : JobProtection.None;
    }

    /// <inheritdoc />
    public override string ToString() => _rules.Length == 0 ? "(no rules: nothing is ever deleted)" : string.Join(Environment.NewLine, _rules.Select(r => r.ToString()));

    // The instant (UTC ticks) until which the rule keeps the job's data; sentinels order forever > keep-newest > any age.
    private static long KeepUntil(RetentionRule rule, JobRecord job) => rule.Period.Kind switch
    {
        RetentionPeriodKind.Forever => KeptForever,
        RetentionPeriodKind.KeepLast => job.NewerJobsOfSameType is int newer && newer >= rule.Period.Count ? DueByRank : KeptWhileNewest,
        _ => SaturatingAdd(job.FinishedAt.UtcTicks, rule.Period.Age.Ticks),
    };

    // A retention of ten thousand years must mean "far future", not an overflow that stops every run.
    private static long SaturatingAdd(long ticks, long age) =>
        ticks > DateTimeOffset.MaxValue.UtcTicks - age ? DateTimeOffset.MaxValue.UtcTicks : ticks + age;

    private static DecisionWords Summarize(JobRecord job, DateTimeOffset now, ArtifactDecision[] decisions, RetentionRule? longest, long longestUntil)
    {
        // A job being cleaned is explained by the rule that decided it, in its own words ("inputs and outputs kept 7 days");
        // a job kept for now by its first pending artifact.
        if (decisions.Any(d => d.Verdict == ArtifactVerdict.Delete))
        {
            var decided = decisions.Where(d => d.Verdict == ArtifactVerdict.Delete).MaxBy(d => d.DueAt ?? DateTimeOffset.MinValue);
            return new DecisionWords(decided.Basis, decided.Rule, decided.DueAt);
        }

        foreach (var decision in decisions)
        {
            if (decision.IsPending)
            {
                return DecisionWords.Of(decision);
            }
        }

        if (decisions.Length > 0)
        {
            return DecisionWords.Of(decisions[0]);
        }

        if (longest is null)
        {
            return new DecisionWords(DecisionBasis.NoRule, null, null);
        }

        var basis = longestUntil switch
        {
            KeptForever => DecisionBasis.KeptForever,
            KeptWhileNewest => job.NewerJobsOfSameType is null ? DecisionBasis.UnknownRank : DecisionBasis.WithinNewest,
            DueByRank => DecisionBasis.BeyondNewest,
            _ when longestUntil > now.UtcTicks => DecisionBasis.WithinAge,
            _ => longest.Period.IsImmediate ? DecisionBasis.Immediately : DecisionBasis.AgeElapsed,
        };
        DateTimeOffset? due = basis is DecisionBasis.WithinAge or DecisionBasis.AgeElapsed ? new DateTimeOffset(longestUntil, TimeSpan.Zero) : null;
        return new DecisionWords(basis, longest, due, Suffix: " (no artifacts)");
    }
}
