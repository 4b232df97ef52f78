namespace Retention.EntityFrameworkCore.Queries;

/// <summary>The mapped members of one job as a query reads them (no tracked entity, no unmapped columns).</summary>
internal sealed class JobRow<TId, TStatus, TTime>
    where TTime : struct
{
    public TId Id { get; set; } = default!;

    public TStatus Status { get; set; } = default!;

    public string? JobType { get; set; }

    public TTime? CreatedAt { get; set; }

    public TTime? StartedAt { get; set; }

    public TTime? CompletedAt { get; set; }

    public TTime? DataCleanedAt { get; set; }

    public string? ErrorMessage { get; set; }

    public object? Version { get; set; }
}
