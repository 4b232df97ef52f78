namespace Retention.Deletion;

/// <summary>
/// The only code that deletes. It works only inside its configured roots, never deletes a root itself, refuses any path that
/// escapes a root or passes through a symbolic link, never follows a link while walking a tree, and counts the bytes it
/// frees in the same walk it deletes with. The default one also refuses each root's quarantine folder, which only the
/// quarantine purges. It reports outcomes instead of throwing.
/// </summary>
public interface ISafeDeleter
{
    /// <summary>The canonical roots deletion is confined to.</summary>
    IReadOnlyList<string> Roots { get; }

    /// <summary>Deletes a file or a directory tree.</summary>
    /// <param name="path">An absolute path strictly inside one of the roots.</param>
    /// <param name="cancellationToken">Stops the walk between entries; what was deleted by then stays deleted.</param>
    /// <returns>The outcome, with the bytes freed.</returns>
    ValueTask<DeletionResult> DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes one of a job's artifacts: what a cleanup run calls. A deleter that stages deletion (the quarantine, when
    /// <see cref="Quarantine.QuarantineOptions.Enabled"/>) moves the artifact aside under the job's name instead and answers
    /// <see cref="DeletionOutcome.Quarantined"/>; by default it deletes as <see cref="DeleteAsync"/> does.
    /// </summary>
    /// <param name="jobId">The job the artifact belongs to.</param>
    /// <param name="path">An absolute path strictly inside one of the roots.</param>
    /// <param name="cancellationToken">Stops the walk between entries; what was deleted by then stays deleted.</param>
    /// <returns>The outcome, with the bytes freed (or moved aside).</returns>
    ValueTask<DeletionResult> DeleteArtifactAsync(string jobId, string path, CancellationToken cancellationToken = default) => DeleteAsync(path, cancellationToken);

    /// <summary>Measures what <see cref="DeleteAsync"/> would free, with the same checks, deleting nothing (dry runs).</summary>
    /// <param name="path">An absolute path strictly inside one of the roots.</param>
    /// <param name="cancellationToken">Stops the walk between entries.</param>
    /// <returns><see cref="DeletionOutcome.Measured"/> with the bytes, or the refusal or error a real run would meet.</returns>
    ValueTask<DeletionResult> MeasureAsync(string path, CancellationToken cancellationToken = default);
}
