namespace Retention.Stores;

/// <summary>
/// The store capability that finds status words no mapping covers. Such jobs read as running, so they are never cleaned;
/// the engine reports them at start-up, in each run's report, in the status endpoint and the health check (degraded),
/// so a misspelt or new status word never quietly keeps data forever.
/// </summary>
public interface IStatusWordStore
{
    /// <summary>The configuration key where words are mapped to statuses, for messages (<c>JobCleanup:Sqlite:StatusNames</c>).</summary>
    string StatusNamesKey { get; }

    /// <summary>The status words of jobs with data not yet cleaned that no status has, with their job counts.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One row per unmapped word; empty when every word is mapped.</returns>
    ValueTask<IReadOnlyList<UnmappedStatusWord>> GetUnmappedStatusWordsAsync(CancellationToken cancellationToken = default);
}
