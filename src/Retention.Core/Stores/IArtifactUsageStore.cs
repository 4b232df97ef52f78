namespace Retention.Stores;

/// <summary>
/// The store capability behind "storage by artifact kind": how much data the artifacts of jobs not yet cleaned hold, by
/// kind (inputs, outputs, logs...), from the sizes the store records.
/// </summary>
public interface IArtifactUsageStore
{
    /// <summary>Artifacts of jobs whose data is not cleaned, and the bytes they hold, by kind.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One row per kind that has such artifacts.</returns>
    ValueTask<IReadOnlyList<ArtifactUsage>> GetArtifactUsageAsync(CancellationToken cancellationToken = default);
}
