namespace Retention.Orphans;

/// <summary>What an orphan sweep should do.</summary>
public sealed record OrphanSweepRequest
{
    /// <summary>Delete the orphans found; by default they are only listed.</summary>
    public bool Delete { get; init; }

    /// <summary>Paths modified more recently than this are never orphans (a job may be writing them). Default: 24 hours.</summary>
    public TimeSpan MinimumAge { get; init; } = TimeSpan.FromHours(24);
}
