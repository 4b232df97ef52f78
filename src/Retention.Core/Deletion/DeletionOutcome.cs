namespace Retention.Deletion;

/// <summary>What became of one path handed to the <see cref="ISafeDeleter"/>.</summary>
public enum DeletionOutcome
{
    /// <summary>The path and everything below it were deleted.</summary>
    Deleted,

    /// <summary>Dry run: the path was measured and nothing was deleted.</summary>
    Measured,

    /// <summary>Nothing was there (already gone); counts as gone.</summary>
    Missing,

    /// <summary>The path was refused before anything was touched; <see cref="DeletionResult.Reason"/> says why.</summary>
    Refused,

    /// <summary>Deletion started but something could not be deleted; <see cref="DeletionResult.Reason"/> holds the error. Bytes already freed are counted.</summary>
    Failed,

    /// <summary>
    /// The path was moved, whole, to its root's quarantine folder (<see cref="Quarantine.IJobQuarantine"/>): gone from its place,
    /// deleted after the grace period unless restored. <see cref="DeletionResult.Bytes"/> are what it holds, not yet freed.
    /// </summary>
    Quarantined,
}
