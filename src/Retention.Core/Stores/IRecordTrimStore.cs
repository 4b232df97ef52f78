namespace Retention.Stores;

/// <summary>
/// The store capability that lets the library's own records age out: audit rows and run history older than
/// <see cref="JobCleanupOptions.RecordRetention"/>, trimmed by each run that deletes. Without it they are kept forever.
/// </summary>
public interface IRecordTrimStore
{
    /// <summary>Deletes the audit rows and recorded runs from before <paramref name="olderThan"/>.</summary>
    /// <param name="olderThan">The cutoff (UTC): what was written before it goes.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many of each were deleted.</returns>
    ValueTask<RecordsTrimmed> TrimRecordsAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default);
}
