namespace Retention.Cleanup.Outlook;

/// <summary>The jobs one rule moves one way in a <see cref="PolicyComparison"/>, and their data.</summary>
/// <param name="Kind">Which way.</param>
/// <param name="Rule">The rule that decides under the candidate policy (for <see cref="PolicyChangeKind.NoLongerDue"/>: the rule that made the data due under the policy in force).</param>
/// <param name="Jobs">How many jobs.</param>
/// <param name="Bytes">The recorded size of the data concerned (0 for an artifact whose size the store does not record).</param>
/// <param name="JobIds">The first of those jobs, at most <see cref="PolicyComparison.MaxListedJobs"/>.</param>
public sealed record PolicyChange(PolicyChangeKind Kind, string Rule, long Jobs, long Bytes, IReadOnlyList<string> JobIds);
