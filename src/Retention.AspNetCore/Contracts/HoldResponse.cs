namespace Retention.AspNetCore.Contracts;

/// <summary>A hold as the endpoints return it: <c>{"id", "job_id", "owner", "reason", "created_at", "until"}</c>, <c>until</c> left out when it has no end.</summary>
internal sealed record HoldResponse(string Id, string JobId, string Owner, string Reason, DateTimeOffset CreatedAt, DateTimeOffset? Until)
{
    public static HoldResponse From(JobHold hold) => new(hold.Id, hold.JobId ?? string.Empty, hold.Owner, hold.Reason, hold.CreatedAt, hold.Until);
}
