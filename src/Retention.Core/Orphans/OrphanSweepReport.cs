namespace Retention.Orphans;

/// <summary>What an orphan sweep found, and did.</summary>
/// <param name="Orphans">The orphaned paths, oldest first.</param>
/// <param name="TooYoung">Unreferenced paths left alone because they are younger than the minimum age.</param>
/// <param name="Deleted">Whether the sweep deleted.</param>
public sealed record OrphanSweepReport(IReadOnlyList<OrphanedPath> Orphans, int TooYoung, bool Deleted)
{
    /// <summary>The orphans' total size.</summary>
    public long Bytes => Orphans.Sum(o => o.Bytes);
}
