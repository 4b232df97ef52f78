namespace Retention.Stores;

/// <summary>
/// The host's job store, as the cleanup sees it: stream the candidates, and record whose data is gone. This is the one
/// interface a host must implement; the optional capabilities (<see cref="IJobLookupStore"/>, <see cref="IStaleJobStore"/>,
/// <see cref="IJobPurgeStore"/>, <see cref="ICleanupRunStore"/>, <see cref="IReferencedPathStore"/>, ...) add to it.
/// </summary>
public interface IJobStore
{
    /// <summary>
    /// Streams the jobs that match <paramref name="query"/>: in one of its statuses, finished before its cutoff, data not yet cleaned.
    /// Read in pages (for example keyset pagination through an index), never all rows at once; the engine may mark jobs
    /// cleaned while the stream is open.
    /// </summary>
    /// <param name="query">The candidate filter.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The candidates, each with the artifacts the store knows of.</returns>
    IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that these jobs' data is gone (sets their data-cleaned time and tombstone), in one batch.
    /// Called only after every artifact the policy deletes is gone. A job whose status is no longer
    /// <see cref="JobDataCleaned.ExpectedStatus"/> is left unmarked.
    /// </summary>
    /// <param name="jobs">The tombstones.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the batch is stored.</returns>
    ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default);
}
