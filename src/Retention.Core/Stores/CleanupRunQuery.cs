namespace Retention.Stores;

/// <summary>A page of the run history, newest first.</summary>
public sealed record CleanupRunQuery
{
    /// <summary>The most runs to return. Default: 20.</summary>
    public int Limit { get; init; } = 20;

    /// <summary>Only runs that started before this instant (the previous page's last <see cref="CleanupRunRecord.StartedAt"/>); <see langword="null"/> for the newest.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>
    /// With <see cref="StartedBefore"/>: the previous page's last run. Runs that started at that same instant are then included
    /// when their id sorts before it, so a page boundary between runs with equal start times skips none and repeats none.
    /// </summary>
    public string? BeforeRunId { get; init; }

    /// <summary>Only runs with this trigger (<c>schedule</c>, say); <see langword="null"/> for all.</summary>
    public string? Trigger { get; init; }
}
