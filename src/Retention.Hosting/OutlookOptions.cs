namespace Retention.Hosting;

/// <summary>
/// The outlook (section <c>JobCleanup:Background:Outlook</c>): data past due and still on disk, read from the store on a
/// timer and after every run, published as the <c>retention.overdue.*</c> gauges and in the health check, and the notice
/// of data about to become due.
/// </summary>
public sealed class OutlookOptions
{
    /// <summary>How often the outlook reads every job whose data is not cleaned (it also reads after each run that deleted). <see cref="TimeSpan.Zero"/> turns it off. Default: 1 hour.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The health check is degraded when some data has been past due for longer than this. Default: 2 days.</summary>
    public TimeSpan DegradedAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Sends a notice of the data that becomes due within <see cref="NoticeWindow"/> to every
    /// <see cref="Cleanup.Outlook.IDeletionNoticeNotifier"/> (the webhook notifier is one), at most once per window and only
    /// when something is about to go. Default: false.
    /// </summary>
    public bool SendNotice { get; set; }

    /// <summary>How far ahead the notice looks, and how often at most it is sent. Default: 24 hours.</summary>
    public TimeSpan NoticeWindow { get; set; } = TimeSpan.FromHours(24);
}
