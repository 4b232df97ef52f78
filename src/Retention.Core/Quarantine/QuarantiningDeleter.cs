using Retention.Deletion;

namespace Retention.Quarantine;

/// <summary>
/// Staged deletion as a deleter: a job's artifacts go to the quarantine instead of being deleted, so the engine knows one
/// deleter whether quarantining is on or off. Everything else (measuring for dry runs, deleting what belongs to no job,
/// such as orphans) goes to the deleter it wraps.
/// </summary>
internal sealed class QuarantiningDeleter(ISafeDeleter inner, IJobQuarantine quarantine) : ISafeDeleter
{
    /// <summary>The deleter a run uses: <paramref name="deleter"/> itself, or it staged through the quarantine when that is enabled.</summary>
    public static ISafeDeleter For(ISafeDeleter deleter, IJobQuarantine quarantine, QuarantineOptions options) =>
        options.Enabled ? new QuarantiningDeleter(deleter, quarantine) : deleter;

    public IReadOnlyList<string> Roots => inner.Roots;

    public ValueTask<DeletionResult> DeleteAsync(string path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);

    public ValueTask<DeletionResult> DeleteArtifactAsync(string jobId, string path, CancellationToken cancellationToken = default) =>
        quarantine.QuarantineAsync(jobId, path, cancellationToken);

    public ValueTask<DeletionResult> MeasureAsync(string path, CancellationToken cancellationToken = default) => inner.MeasureAsync(path, cancellationToken);
}
