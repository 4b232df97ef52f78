namespace Retention.Cleanup.Outlook;

/// <summary>One job in a <see cref="RetentionOutlook"/>: data past due and still present, or data that becomes due soon.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Status">Its status word (<c>succeeded</c>), or the store's own word when no status is mapped to it.</param>
/// <param name="DueAt">When its data became (or becomes) due; null for data due by a keep-newest rule, which has no date.</param>
/// <param name="Bytes">The recorded size of the data concerned (an artifact whose size the store does not record counts as 0).</param>
/// <param name="Reason">The policy's reason, in words.</param>
/// <param name="StaysBecause">For overdue data: why it is still there (the last run failed on it, or no run has reached it since it became due); null for upcoming data.</param>
public sealed record OutlookJob(string JobId, string Status, DateTimeOffset? DueAt, long Bytes, string Reason, string? StaysBecause = null);
