using Retention.Deletion;

namespace Retention.Cleanup;

/// <summary>What became of one artifact in a run.</summary>
/// <param name="Kind">The artifact's kind.</param>
/// <param name="Path">The full path.</param>
/// <param name="Outcome">Deleted, quarantined, measured (dry run), missing, refused or failed.</param>
/// <param name="Bytes">Bytes freed, or that would be freed; for a quarantined artifact, the bytes moved to the quarantine.</param>
/// <param name="Reason">Why it was refused or failed.</param>
public sealed record ArtifactCleanupResult(ArtifactKind Kind, string Path, DeletionOutcome Outcome, long Bytes, string? Reason)
{
    /// <summary>The disk space its files held (allocated blocks, as <c>du</c> counts), beside <see cref="Bytes"/>, their logical size.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Whether the artifact was a directory.</summary>
    public bool IsDirectory { get; init; }
}
