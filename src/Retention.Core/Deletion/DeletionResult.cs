namespace Retention.Deletion;

/// <summary>The outcome of deleting (or measuring) one path.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Bytes">Bytes freed, counted for a file only when its last link goes (for <see cref="DeletionOutcome.Measured"/>: bytes that deleting would free; for <see cref="DeletionOutcome.Quarantined"/>: bytes moved, freed only when the quarantine is purged). Counted in the same walk that deletes.</param>
/// <param name="Files">Files and links removed (or that would be).</param>
/// <param name="Reason">Why it was refused, or the error it failed with.</param>
/// <param name="IsTransient">Whether the failure may go away on a retry (a busy file), as opposed to permission denied.</param>
public sealed record DeletionResult(string Path, DeletionOutcome Outcome, long Bytes = 0, long Files = 0, string? Reason = null, bool IsTransient = false)
{
    /// <summary>
    /// The disk space the counted files held (their allocated blocks, what <c>du</c> reports), beside <see cref="Bytes"/>,
    /// their logical size: a sparse file holds less than its size, a small file a whole block. Like <see cref="Bytes"/>, a file
    /// with another hard link left elsewhere frees nothing and counts nothing. 0 where the system does not say (Windows, macOS).
    /// </summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Whether the path was a directory (deleted with everything below it).</summary>
    public bool IsDirectory { get; init; }

    /// <summary>Whether nothing of the path remains in its place (or, for a dry run, would remain): deleted, quarantined, measured or missing.</summary>
    public bool IsGone => Outcome is DeletionOutcome.Deleted or DeletionOutcome.Quarantined or DeletionOutcome.Measured or DeletionOutcome.Missing;

    /// <inheritdoc />
    public override string ToString() => Reason is null ? $"{Outcome} {Path} ({Bytes} bytes)" : $"{Outcome} {Path}: {Reason}";
}
