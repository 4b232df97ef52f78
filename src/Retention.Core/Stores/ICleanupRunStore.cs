using Retention.Cleanup;

namespace Retention.Stores;

/// <summary>The store capability that keeps a history of cleanup runs (monitoring, the tool's <c>stats</c>, missed-run catch-up).</summary>
public interface ICleanupRunStore
{
    /// <summary>Records a finished run: when, dry or not, counts, bytes, outcome and error. Called once per run that started.</summary>
    /// <param name="report">The run's report.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the run is stored.</returns>
    ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default);

    /// <summary>Reads a page of the history, newest first.</summary>
    /// <param name="query">The page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs; empty when none match.</returns>
    ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default);
}
