using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Retention.EntityFrameworkCore.Mapping;

namespace Retention.EntityFrameworkCore.Tests.Jobs;

/// <summary>
/// A PostgreSQL host's job: <see cref="DateTimeOffset"/> times, the default status words, and PostgreSQL's <c>xmin</c> as
/// the row version, which the marks compare.
/// </summary>
public sealed class OffsetJob : ITestJob<OffsetJob>
{
    public string Id { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string? JobType { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset? DataCleanedAt { get; set; }

    public string? ErrorMessage { get; set; }

    public long? SizeBytes { get; set; }

    public uint Version { get; set; }

    public static OffsetJob From(JobRecord job) => new()
    {
        Id = job.Id,
        Status = job.Status == JobStatus.Succeeded ? "completed" : job.Status.ToString().ToLowerInvariant(),
        JobType = job.JobType,
        CreatedAt = job.CreatedAt.ToUniversalTime(),
        StartedAt = job.StartedAt?.ToUniversalTime(),
        CompletedAt = job.CompletedAt?.ToUniversalTime(),
        DataCleanedAt = job.DataCleanedAt?.ToUniversalTime(),
        ErrorMessage = job.ErrorMessage,
        SizeBytes = job.Artifacts.Sum(a => a.SizeBytes ?? 0),
    };

    public static void Configure(EntityTypeBuilder<OffsetJob> entity)
    {
        entity.ToTable("offset_jobs");
        entity.Property(j => j.Version).IsRowVersion();
    }

    public static void Map(EntityFrameworkCoreJobMap<OffsetJob> map) => map
        .Id(j => j.Id)
        .Status(j => j.Status)
        .JobType(j => j.JobType)
        .CreatedAt(j => j.CreatedAt)
        .StartedAt(j => j.StartedAt)
        .CompletedAt(j => j.CompletedAt)
        .DataCleanedAt(j => j.DataCleanedAt)
        .ErrorMessage(j => j.ErrorMessage)
        .SizeBytes(j => j.SizeBytes)
        .RowVersion(j => j.Version);
}
