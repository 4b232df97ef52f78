namespace Retention.Cleanup;

/// <summary>
/// Told about every finished run of this process's <see cref="IJobCleaner"/> (not runs that did not start because one was in progress).
/// Register any number with <c>services.AddSingleton&lt;ICleanupNotifier, MyNotifier&gt;()</c>. Notifiers run one after another,
/// after the run is recorded and the next run may already start; each gets 30 seconds through its token. One that throws or
/// times out is logged and never fails the run.
/// </summary>
public interface ICleanupNotifier
{
    /// <summary>Called once after each run.</summary>
    /// <param name="report">The run's report.</param>
    /// <param name="cancellationToken">Cancelled after 30 seconds, or when the host stops (a run the stop cancelled is still reported, within the 30 seconds).</param>
    /// <returns>A task that completes when the notification is handled.</returns>
    ValueTask NotifyAsync(CleanupReport report, CancellationToken cancellationToken = default);
}
