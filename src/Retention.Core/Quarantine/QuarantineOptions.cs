namespace Retention.Quarantine;

/// <summary>
/// Staged deletion (configuration section <c>JobCleanup:Quarantine</c>): due data is first moved to a quarantine folder at the
/// top of its own root (a rename, no copying) and deleted only after <see cref="GracePeriod"/>; until then it can be restored
/// with <see cref="Quarantine.IJobQuarantine.RestoreAsync"/>.
/// </summary>
public sealed class QuarantineOptions
{
    /// <summary>Whether cleanup runs quarantine due data instead of deleting it. Default: false.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long quarantined data is kept before a run deletes it. Must be positive. Default: 7 days.</summary>
    public TimeSpan GracePeriod { get; set; } = JobCleanupDefaults.QuarantineGracePeriod;

    /// <summary>
    /// The quarantine folder's name, created at the top of each root: a single plain directory name. Nothing deletes inside it
    /// but the quarantine, and the orphan sweep never lists it. Default: <c>.retention-quarantine</c>.
    /// </summary>
    public string FolderName { get; set; } = JobCleanupDefaults.QuarantineFolderName;
}
