using Microsoft.EntityFrameworkCore;

namespace Retention.Benchmarks;

/// <summary>A host's job entity with the columns of a <c>jobs.db</c>, for the EF Core store beside the hand-written one.</summary>
public sealed class BenchJob
{
    public string Id { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string? JobType { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public DateTime? DataCleanedAt { get; set; }

    public string? ErrorMessage { get; set; }

    public long? SizeBytes { get; set; }
}

/// <summary>The host's context: its jobs, the cleanup's own entities, and the index a host would give the uncleaned jobs.</summary>
public sealed class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{
    public DbSet<BenchJob> Jobs => Set<BenchJob>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BenchJob>(job =>
        {
            job.ToTable("jobs");
            job.HasIndex(j => j.Id).HasFilter("\"DataCleanedAt\" IS NULL").HasDatabaseName("ix_jobs_uncleaned");
        });
        modelBuilder.AddRetention();
    }
}
