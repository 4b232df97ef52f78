namespace Retention.Cleanup.Outlook;

/// <summary>
/// What replacing the policy in force with a candidate would change, job by job, without touching anything: the data that
/// becomes due, stops being due, or changes date, grouped by rule. Read with <see cref="IJobExplainer.CompareAsync"/>.
/// </summary>
public sealed class PolicyComparison
{
    /// <summary>The most job ids each <see cref="PolicyChange"/> lists; its counts and bytes cover every job.</summary>
    public const int MaxListedJobs = 20;

    /// <summary>The time both policies were evaluated at.</summary>
    public required DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>Jobs whose data is not cleaned that were read.</summary>
    public required long JobsScanned { get; init; }

    /// <summary>The changes, by kind and then by rule; empty when the candidate decides every job as the policy in force does.</summary>
    public required IReadOnlyList<PolicyChange> Changes { get; init; }

    /// <summary>The jobs and bytes of one kind of change, over every rule.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The totals.</returns>
    public (long Jobs, long Bytes) Total(PolicyChangeKind kind) =>
        (Changes.Where(c => c.Kind == kind).Sum(c => c.Jobs), Changes.Where(c => c.Kind == kind).Sum(c => c.Bytes));
}
