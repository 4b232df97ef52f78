namespace Retention.Cleanup;

/// <summary>
/// Told about every finished run of this process's <see cref="IJobCleaner"/> (not runs that did not start because one was in progress).
/// Register any number with <c>services.AddSingleton&lt;ICleanupNotifier, MyNotifier&gt;()</c>. A notifier that throws or is slow
/// is logged and never fails the run; notifiers run one after another, after the run is recorded.
/// </summary>
public interface ICleanupNotifier
{
    /// <summary>Called once after each run.</summary>
    /// <param name="report">The run's report.</param>
    /// <param name="cancellationToken">The run's token; for a run that a stopping host cancelled, a fresh one with a 10-second grace, so the cancellation is still reported.</param>
    /// <returns>A task that completes when the notification is handled.</returns>
    ValueTask NotifyAsync(CleanupReport report, CancellationToken cancellationToken = default);
}
