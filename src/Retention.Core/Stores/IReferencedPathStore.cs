namespace Retention.Stores;

/// <summary>The store capability the orphan sweep needs: every job id and every artifact path the store knows of.</summary>
public interface IReferencedPathStore
{
    /// <summary>Streams the id of every job, in any status.</summary>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The ids.</returns>
    IAsyncEnumerable<string> GetAllJobIdsAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every artifact path recorded for any job (absolute, or relative to the options' base path).</summary>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The paths.</returns>
    IAsyncEnumerable<string> GetAllArtifactPathsAsync(CancellationToken cancellationToken = default);
}
