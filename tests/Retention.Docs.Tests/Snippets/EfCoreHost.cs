using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Retention.Docs.Snippets;

// docs/stores.md: a `dotnet new webapi` host whose jobs are its own Entity Framework Core entity, cleaned with no SQL of
// its own. EfCoreHostTests builds it and runs a real cleanup over real files.
internal static class EfCoreHost
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddDbContext<AppDb>(o => o.UseSqlite(builder.Configuration.GetConnectionString("Jobs")));
        builder.Services
            .AddJobCleanup(builder.Configuration.GetSection("JobCleanup"))   // JobCleanup:Roots:results: where results/{jobId}/ are
            .UseEntityFrameworkCoreStore<AppDb, Job>(map => map
                .Id(j => j.Id)
                .Status(j => j.State, s => s.Succeeded("done").Failed("error", "crashed"))
                .StartedAt(j => j.StartedAt)
                .CompletedAt(j => j.CompletedAt)
                .DataCleanedAt(j => j.DataCleanedAt))
            .AddBackgroundCleanup(o => o.Schedule = "0 2 * * *");
        return builder.Build();
    }
}

public class Job
{
    public int Id { get; set; }
    public string State { get; set; } = "queued";
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime? DataCleanedAt { get; set; }   // the one member the cleanup adds
}

public class AppDb(DbContextOptions<AppDb> options) : DbContext(options)
{
    public DbSet<Job> Jobs => Set<Job>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddRetention();
}
