namespace Retention;

/// <summary>A hold on a job's data: while it is in force no retention rule deletes anything of the job. A job may have several.</summary>
/// <param name="Owner">Who placed the hold.</param>
/// <param name="Reason">Why, in words a colleague will understand later.</param>
/// <param name="Until">When the hold ends; <see langword="null"/> holds until it is released.</param>
public sealed record JobHold(string Owner, string Reason, DateTimeOffset? Until = null)
{
    /// <summary>The hold's identifier (<c>hold-3f9a0c1d2e4b</c>), what a release names; a new one unless the store read it.</summary>
    public string Id { get; init; } = NewId();

    /// <summary>The held job's id, as the stores that keep holds return it; <see langword="null"/> on a hold not placed yet.</summary>
    public string? JobId { get; init; }

    /// <summary>When the hold was placed (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether the hold is in force at <paramref name="now"/>.</summary>
    /// <param name="now">The time of evaluation.</param>
    /// <returns><see langword="true"/> when there is no end or the end is still ahead.</returns>
    public bool IsInForceAt(DateTimeOffset now) => Until is null || Until.Value > now;

    /// <summary>A new hold identifier: short enough to type, random enough that two never meet.</summary>
    /// <returns>An id such as <c>hold-3f9a0c1d2e4b</c>.</returns>
    public static string NewId() => "hold-" + Guid.NewGuid().ToString("N")[..12];
}
