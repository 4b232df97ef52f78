using Retention.Deletion;

namespace Retention.Quarantine;

/// <summary>
/// Staged deletion. Due data is moved, whole, to the quarantine folder at the top of its own root
/// (<c>{root}/{folder}/{jobId}/{stamp}/{path relative to the root}</c>, a rename on the same filesystem) and deleted only once
/// the grace period has passed (<see cref="QuarantineOptions"/>); until then one call puts a job's data back.
/// Every path it touches meets the <see cref="SafeDeleter"/>'s checks, and it reports outcomes instead of throwing.
/// </summary>
public interface IJobQuarantine
{
    /// <summary>Moves one of a job's artifacts to the quarantine, with the checks a deletion meets.</summary>
    /// <param name="jobId">The job it belongs to; names its folder in the quarantine, so it must be a plain directory name.</param>
    /// <param name="path">An absolute path strictly inside one of the roots, outside the quarantine folder.</param>
    /// <param name="cancellationToken">Stops the measuring walk, or the wait for another quarantine operation; nothing is moved then.</param>
    /// <returns>
    /// <see cref="DeletionOutcome.Quarantined"/> with the bytes and files it holds (measured without following links), or
    /// <see cref="DeletionOutcome.Missing"/>, <see cref="DeletionOutcome.Refused"/> or <see cref="DeletionOutcome.Failed"/>; only a quarantined path has moved.
    /// </returns>
    ValueTask<DeletionResult> QuarantineAsync(string jobId, string path, CancellationToken cancellationToken = default);

    /// <summary>Deletes what has been in the quarantine longer than the grace period, and the job folders that leaves empty.</summary>
    /// <param name="cancellationToken">Stops between stamp folders and inside a deletion's walk; what was deleted by then stays deleted.</param>
    /// <returns>The entries deleted, the bytes freed and what could not be deleted.</returns>
    Task<QuarantinePurgeReport> PurgeExpiredAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves every quarantined path of a job back to where it was, creating missing parent directories inside the root.
    /// Never overwrites: a path that exists again is a conflict and its quarantined copy stays. The job stays recorded as
    /// cleaned in the store, so cleanup runs do not delete the restored data again.
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Stops between paths; what was restored by then stays restored.</param>
    /// <returns>The paths restored, the conflicts and the failures.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is not a plain directory name, so nothing of it can be in the quarantine.</exception>
    Task<QuarantineRestoreReport> RestoreAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Lists what is in the quarantine, oldest first.</summary>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <returns>One entry per quarantined path.</returns>
    Task<IReadOnlyList<QuarantinedEntry>> ListAsync(CancellationToken cancellationToken = default);
}
