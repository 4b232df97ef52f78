namespace Retention.Orphans;

/// <summary>Finds (and on request deletes) paths under the roots that no job references: orphaned files.</summary>
public interface IOrphanSweeper
{
    /// <summary>
    /// Lists the top-level entries of each root that no job references, by its recorded artifacts or by the naming
    /// conventions, and that are older than the minimum age; deletes them through the safe deleter when asked.
    /// </summary>
    /// <param name="request">List or delete, and the minimum age.</param>
    /// <param name="cancellationToken">Stops the sweep between paths.</param>
    /// <returns>The orphans, with their sizes.</returns>
    Task<OrphanSweepReport> SweepAsync(OrphanSweepRequest request, CancellationToken cancellationToken = default);
}
