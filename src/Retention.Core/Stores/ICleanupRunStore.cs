using Retention.Cleanup;

namespace Retention.Stores;

/// <summary>The store capability that keeps a history of cleanup runs (the seed's monitoring and the CLI's <c>stats</c>).</summary>
public interface ICleanupRunStore
{
    /// <summary>Records a finished run: when, dry or not, counts, bytes, outcome and error. Called once per run that started.</summary>
    /// <param name="report">The run's report.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the run is stored.</returns>
    ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default);
}
