using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Tests.Jobs;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>A host's context: its one job entity, and the cleanup's own entities through <c>AddRetention()</c>.</summary>
public sealed class JobsContext<TJob>(DbContextOptions<JobsContext<TJob>> options) : DbContext(options)
    where TJob : class, ITestJob<TJob>
{
    public DbSet<TJob> Jobs => Set<TJob>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        TJob.Configure(modelBuilder.Entity<TJob>());
        modelBuilder.AddRetention();
    }
}
