namespace Retention.Cleanup.Outlook;

/// <summary>
/// Told, ahead of time, which data becomes due soon (the notice before it goes), so that someone can hold a job that must
/// stay. Retention.Hosting sends it when <c>JobCleanup:Background:Outlook:SendNotice</c> is on; register any number with
/// <c>services.AddSingleton&lt;IDeletionNoticeNotifier, MyNotifier&gt;()</c>. One that throws or times out is logged.
/// </summary>
public interface IDeletionNoticeNotifier
{
    /// <summary>Called with an outlook whose <see cref="RetentionOutlook.Upcoming"/> list is not empty.</summary>
    /// <param name="outlook">The outlook: what becomes due within its <see cref="RetentionOutlook.Window"/>, soonest first.</param>
    /// <param name="cancellationToken">Cancelled after 30 seconds, or when the host stops.</param>
    /// <returns>A task that completes when the notice is handled.</returns>
    ValueTask NotifyUpcomingAsync(RetentionOutlook outlook, CancellationToken cancellationToken = default);
}
