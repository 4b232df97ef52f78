namespace Retention.Hosting;

/// <summary>Scheduled orphan sweeps (section <c>JobCleanup:Background:Orphans</c>): paths under the roots that no job references.</summary>
public sealed class OrphanSweepScheduleOptions
{
    /// <summary>Sweeps on <see cref="Schedule"/>, when the store can list references (<see cref="Stores.IReferencedPathStore"/>). Default: false.</summary>
    public bool Enabled { get; set; }

    /// <summary>When to sweep, in the same forms as the cleanup schedule. Default: <c>04:00</c>.</summary>
    public string Schedule { get; set; } = "04:00";

    /// <summary>Paths written more recently than this are never orphans. Default: 24 hours.</summary>
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Deletes the orphans found; otherwise they are only logged and counted. Default: false.</summary>
    public bool Delete { get; set; }
}
