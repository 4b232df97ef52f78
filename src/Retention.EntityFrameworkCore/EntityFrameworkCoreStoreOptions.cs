namespace Retention.EntityFrameworkCore;

/// <summary>How the Entity Framework Core store is used, beyond the map of the job entity.</summary>
public sealed class EntityFrameworkCoreStoreOptions
{
    /// <summary>
    /// Whether several replicas run the cleanup over the same database at once. Each run then claims the jobs it streams
    /// (<see cref="Model.RetentionJobClaim"/> rows), so no two runs take the same job; this needs SQLite or PostgreSQL.
    /// Off by default: one instance cleans, and claims would cost it a round trip per job it deletes files of.
    /// </summary>
    public bool SharedByReplicas { get; set; }

    /// <summary>How long a claim holds unless the run renews it (each confirmation renews it). At least 10 seconds. Default: 10 minutes.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
