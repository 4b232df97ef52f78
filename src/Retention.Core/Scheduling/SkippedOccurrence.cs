namespace Retention.Scheduling;

/// <summary>A scheduled occurrence this instance woke for and left to another instance of the fleet.</summary>
/// <param name="Occurrence">The occurrence's instant (UTC), the same on every instance.</param>
/// <param name="Reason">Why this instance did not run it.</param>
/// <param name="SkippedAt">When this instance decided so (UTC).</param>
public sealed record SkippedOccurrence(DateTimeOffset Occurrence, OccurrenceSkipReason Reason, DateTimeOffset SkippedAt);
