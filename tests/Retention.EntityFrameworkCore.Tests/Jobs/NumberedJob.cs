using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Retention.EntityFrameworkCore.Mapping;

namespace Retention.EntityFrameworkCore.Tests.Jobs;

/// <summary>A job with an integer key the database generates, as a <c>dotnet new webapi</c> host's entity has, and the default status words.</summary>
public sealed class NumberedJob : ITestJob<NumberedJob>
{
    public int Id { get; set; }

    public string State { get; set; } = string.Empty;

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public DateTime? DataCleanedAt { get; set; }

    public static NumberedJob From(JobRecord job) => new()
    {
        Id = int.Parse(job.Id, System.Globalization.CultureInfo.InvariantCulture),
        State = job.Status == JobStatus.Succeeded ? "completed" : job.Status.ToString().ToLowerInvariant(),
        StartedAt = job.StartedAt?.UtcDateTime,
        CompletedAt = job.CompletedAt?.UtcDateTime,
        DataCleanedAt = job.DataCleanedAt?.UtcDateTime,
    };

    public static void Configure(EntityTypeBuilder<NumberedJob> entity) => entity.ToTable("numbered_jobs");

    public static void Map(EntityFrameworkCoreJobMap<NumberedJob> map) => map
        .Id(j => j.Id)
        .Status(j => j.State)
        .StartedAt(j => j.StartedAt)
        .CompletedAt(j => j.CompletedAt)
        .DataCleanedAt(j => j.DataCleanedAt);
}
