namespace Retention.Stores;

/// <summary>
/// The store capability that lets the library's own records age out: audit rows and run history older than
/// <see cref="JobCleanupOptions.RecordRetention"/>, trimmed by each run that deletes. Without it they are kept forever.
/// </summary>
public interface IRecordTrimStore
{
    /// <summary>
    /// Deletes the audit rows from before <paramref name="auditBefore"/> (but those of holds, <c>hold_added</c> and
    /// <c>hold_released</c>) and the recorded runs that started before <paramref name="runsBefore"/>.
    /// </summary>
    /// <param name="auditBefore">The audit rows' cutoff (UTC).</param>
    /// <param name="runsBefore">The run history's cutoff (UTC): the engine keeps the runs the mass-deletion guard reads.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many of each were deleted.</returns>
    ValueTask<RecordsTrimmed> TrimRecordsAsync(DateTimeOffset auditBefore, DateTimeOffset runsBefore, CancellationToken cancellationToken = default);
}
