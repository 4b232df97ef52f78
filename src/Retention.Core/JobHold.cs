namespace Retention;

/// <summary>A hold on a job's data: while it is in force no retention rule deletes anything of the job.</summary>
/// <param name="PinnedBy">Who placed the hold.</param>
/// <param name="Reason">Why, in words a colleague will understand later.</param>
/// <param name="Until">When the hold ends; <see langword="null"/> holds until it is removed.</param>
public sealed record JobHold(string PinnedBy, string Reason, DateTimeOffset? Until = null)
{
    /// <summary>Whether the hold is in force at <paramref name="now"/>.</summary>
    /// <param name="now">The time of evaluation.</param>
    /// <returns><see langword="true"/> when there is no end or the end is still ahead.</returns>
    public bool IsInForceAt(DateTimeOffset now) => Until is null || Until.Value > now;
}
