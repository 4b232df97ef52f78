namespace Retention.Cleanup.Outlook;

/// <summary>
/// What the policy says of the data still on disk, at one time: what is past due and still present (a job that keeps failing
/// to clean, a schedule that stopped), and what becomes due within a window (the notice before it goes). Read with
/// <see cref="IJobExplainer.GetOutlookAsync"/>; sizes are the ones the store records, nothing is measured or deleted.
/// </summary>
public sealed class RetentionOutlook
{
    /// <summary>The most jobs <see cref="Overdue"/> and <see cref="Upcoming"/> each list; the counts and bytes cover every job.</summary>
    public const int MaxListedJobs = 100;

    /// <summary>The time the policy was evaluated at.</summary>
    public required DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>How far ahead <see cref="Upcoming"/> looks.</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>Jobs whose data is not cleaned that were read.</summary>
    public required long JobsScanned { get; init; }

    /// <summary>Jobs with data past due and still present.</summary>
    public required long OverdueJobs { get; init; }

    /// <summary>The recorded size of that data.</summary>
    public required long OverdueBytes { get; init; }

    /// <summary>When the longest-overdue data became due; null when nothing dated is overdue.</summary>
    public DateTimeOffset? OldestOverdueSince { get; init; }

    /// <summary>How long the longest-overdue data has been due; null when nothing dated is overdue.</summary>
    public TimeSpan? OldestOverdueAge => OldestOverdueSince is { } since ? EvaluatedAt - since : null;

    /// <summary>The longest-overdue jobs, oldest first, at most <see cref="MaxListedJobs"/>, each with why it stays.</summary>
    public IReadOnlyList<OutlookJob> Overdue { get; init; } = [];

    /// <summary>Jobs with data that becomes due within <see cref="Window"/>.</summary>
    public required long UpcomingJobs { get; init; }

    /// <summary>The recorded size of that data.</summary>
    public required long UpcomingBytes { get; init; }

    /// <summary>The jobs whose data becomes due soonest, at most <see cref="MaxListedJobs"/>.</summary>
    public IReadOnlyList<OutlookJob> Upcoming { get; init; } = [];
}
