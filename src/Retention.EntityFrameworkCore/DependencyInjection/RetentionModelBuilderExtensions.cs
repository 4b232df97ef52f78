using Retention.EntityFrameworkCore.Model;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the cleanup's own entities to a host's model, so the host's migrations carry them.</summary>
public static class RetentionModelBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="RetentionCleanupRun"/> (table <c>retention_cleanup_runs</c>, the run history),
    /// <see cref="RetentionJobArtifact"/> (table <c>retention_job_artifacts</c>) and <see cref="RetentionJobClaim"/> (table
    /// <c>retention_job_claims</c>, used by replicas sharing the store) to the model. Call it from <c>OnModelCreating</c>.
    /// </summary>
    /// <param name="modelBuilder">The host's model builder.</param>
    /// <returns>The model builder.</returns>
    public static ModelBuilder AddRetention(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<RetentionCleanupRun>(run =>
        {
            run.ToTable("retention_cleanup_runs");
            run.HasKey(r => r.RunId);
            run.HasIndex(r => new { r.StartedAt, r.RunId });
        });
        modelBuilder.Entity<RetentionJobArtifact>(artifact =>
        {
            artifact.ToTable("retention_job_artifacts");
            artifact.HasKey(a => new { a.JobId, a.Path });
        });
        modelBuilder.Entity<RetentionJobClaim>(claim =>
        {
            claim.ToTable("retention_job_claims");
            claim.HasKey(c => c.JobId);
            claim.HasIndex(c => c.Owner);
        });
        return modelBuilder;
    }
}
