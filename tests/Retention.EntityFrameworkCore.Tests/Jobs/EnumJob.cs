using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Retention.EntityFrameworkCore.Mapping;

namespace Retention.EntityFrameworkCore.Tests.Jobs;

/// <summary>A host's status enum: its members named like a status are that status without saying so; Queued is mapped.</summary>
public enum JobState
{
    Queued,
    Scheduled,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>A job whose status is an enum, stored as its integer.</summary>
public sealed class EnumJob : ITestJob<EnumJob>
{
    public string Id { get; set; } = string.Empty;

    public JobState State { get; set; }

    public string? Kind { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public DateTime? CleanedAt { get; set; }

    public string? ErrorMessage { get; set; }

    public long? Bytes { get; set; }

    public static EnumJob From(JobRecord job) => new()
    {
        Id = job.Id,
        State = job.Status switch
        {
            JobStatus.Pending => JobState.Queued,
            JobStatus.Scheduled => JobState.Scheduled,
            JobStatus.Running => JobState.Running,
            JobStatus.Succeeded => JobState.Completed,
            JobStatus.Failed => JobState.Failed,
            _ => JobState.Cancelled,
        },
        Kind = job.JobType,
        CreatedAt = job.CreatedAt.UtcDateTime,
        StartedAt = job.StartedAt?.UtcDateTime,
        CompletedAt = job.CompletedAt?.UtcDateTime,
        CleanedAt = job.DataCleanedAt?.UtcDateTime,
        ErrorMessage = job.ErrorMessage,
        Bytes = job.Artifacts.Sum(a => a.SizeBytes ?? 0),
    };

    public static void Configure(EntityTypeBuilder<EnumJob> entity) => entity.ToTable("enum_jobs");

    public static void Map(EntityFrameworkCoreJobMap<EnumJob> map) => map
        .Id(j => j.Id)
        .Status(j => j.State, s => s.Pending(JobState.Queued))
        .JobType(j => j.Kind)
        .CreatedAt(j => j.CreatedAt)
        .StartedAt(j => j.StartedAt)
        .CompletedAt(j => j.CompletedAt)
        .DataCleanedAt(j => j.CleanedAt)
        .ErrorMessage(j => j.ErrorMessage)
        .SizeBytes(j => j.Bytes);
}
