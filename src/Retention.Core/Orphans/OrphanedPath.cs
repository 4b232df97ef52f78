using Retention.Deletion;

namespace Retention.Orphans;

/// <summary>A path under a root that no job references.</summary>
/// <param name="Path">The full path.</param>
/// <param name="IsDirectory">Whether it is a directory.</param>
/// <param name="Bytes">Its size (measured, or freed when deleted).</param>
/// <param name="LastWrite">The newest modification time in it.</param>
/// <param name="Outcome">Measured, or what deleting it did.</param>
/// <param name="Reason">Why deleting it was refused or failed.</param>
public sealed record OrphanedPath(string Path, bool IsDirectory, long Bytes, DateTimeOffset LastWrite, DeletionOutcome Outcome, string? Reason);
