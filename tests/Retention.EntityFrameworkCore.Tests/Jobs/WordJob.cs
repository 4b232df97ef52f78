using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Retention.EntityFrameworkCore.Mapping;

namespace Retention.EntityFrameworkCore.Tests.Jobs;

/// <summary>A job whose status is a word of the host's own (<c>done</c>, <c>error</c> or <c>crashed</c>, ...), with UTC <see cref="DateTime"/> times.</summary>
public sealed class WordJob : ITestJob<WordJob>
{
    public string Id { get; set; } = string.Empty;

    public string State { get; set; } = string.Empty;

    public string? Kind { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public DateTime? DataCleanedAt { get; set; }

    public string? Error { get; set; }

    public long SizeBytes { get; set; }

    public static WordJob From(JobRecord job) => new()
    {
        Id = job.Id,
        State = job.Status switch
        {
            JobStatus.Pending => "queued",
            JobStatus.Scheduled => "scheduled",
            JobStatus.Running => "running",
            JobStatus.Succeeded => "done",
            JobStatus.Failed => "error",
            _ => "cancelled",
        },
        Kind = job.JobType,
        CreatedAt = job.CreatedAt.UtcDateTime,
        StartedAt = job.StartedAt?.UtcDateTime,
        FinishedAt = job.CompletedAt?.UtcDateTime,
        DataCleanedAt = job.DataCleanedAt?.UtcDateTime,
        Error = job.ErrorMessage,
        SizeBytes = job.Artifacts.Sum(a => a.SizeBytes ?? 0),
    };

    public static void Configure(EntityTypeBuilder<WordJob> entity) => entity.ToTable("word_jobs");

    public static void Map(EntityFrameworkCoreJobMap<WordJob> map) => map
        .Id(j => j.Id)
        .Status(j => j.State, s => s.Pending("queued").Succeeded("done").Failed("error", "crashed"))
        .JobType(j => j.Kind)
        .CreatedAt(j => j.CreatedAt)
        .StartedAt(j => j.StartedAt)
        .CompletedAt(j => j.FinishedAt)
        .DataCleanedAt(j => j.DataCleanedAt)
        .ErrorMessage(j => j.Error)
        .SizeBytes(j => j.SizeBytes);
}
