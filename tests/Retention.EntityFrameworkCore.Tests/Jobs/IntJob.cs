using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Retention.EntityFrameworkCore.Mapping;

namespace Retention.EntityFrameworkCore.Tests.Jobs;

/// <summary>A job whose status is an integer code: 0 queued, 1 running, 2 done, 3 and 13 failed, 4 cancelled, 5 scheduled.</summary>
public sealed class IntJob : ITestJob<IntJob>
{
    public string Id { get; set; } = string.Empty;

    public int StatusCode { get; set; }

    public string? Kind { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public DateTime? DataCleanedAt { get; set; }

    public string? Error { get; set; }

    public long SizeBytes { get; set; }

    public static IntJob From(JobRecord job) => new()
    {
        Id = job.Id,
        StatusCode = job.Status switch
        {
            JobStatus.Pending => 0,
            JobStatus.Running => 1,
            JobStatus.Succeeded => 2,
            JobStatus.Failed => 3,
            JobStatus.Cancelled => 4,
            _ => 5,
        },
        Kind = job.JobType,
        CreatedAt = job.CreatedAt.UtcDateTime,
        StartedAt = job.StartedAt?.UtcDateTime,
        CompletedAt = job.CompletedAt?.UtcDateTime,
        DataCleanedAt = job.DataCleanedAt?.UtcDateTime,
        Error = job.ErrorMessage,
        SizeBytes = job.Artifacts.Sum(a => a.SizeBytes ?? 0),
    };

    public static void Configure(EntityTypeBuilder<IntJob> entity) => entity.ToTable("int_jobs");

    public static void Map(EntityFrameworkCoreJobMap<IntJob> map) => map
        .Id(j => j.Id)
        .Status(j => j.StatusCode, s => s.Pending(0).Running(1).Succeeded(2).Failed(3, 13).Cancelled(4).Scheduled(5))
        .JobType(j => j.Kind)
        .CreatedAt(j => j.CreatedAt)
        .StartedAt(j => j.StartedAt)
        .CompletedAt(j => j.CompletedAt)
        .DataCleanedAt(j => j.DataCleanedAt)
        .ErrorMessage(j => j.Error)
        .SizeBytes(j => j.SizeBytes);
}
